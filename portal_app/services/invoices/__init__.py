"""Invoices: customers' list, page, PDF and "Pay now" (core, payments); staff's drafts, issuing,
voiding and crediting, bank payments, attempts and CSV (admin); the Stripe webhook and reconcile
(payments). Who sees what is in scope.py; vocabularies and limits in invoice_rules.py."""
