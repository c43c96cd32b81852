"""Events: who sees which (scope), the customer side and the public page (core), staff's tools
(admin), seat allocation and the waiting list (seats), the signed cancel link (tokens), mails
with the .ics (event_mail), and the vocabularies as data (event_rules)."""
