"""Outgoing mail: the outbox every service stores its mails in (`outbox`) and the sender (`mailer`)."""
