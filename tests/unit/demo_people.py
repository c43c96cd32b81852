"""The seeded demo logins the unit tests act as (portal_app/seed.py)."""

STAFF = "staff@example.com"
USER = "user@acme.example.com"  # Acme contact, Basic profile
ADMIN = "admin@acme.example.com"  # Acme company admin
LIISA = "liisa.makinen@acme.example.com"  # Acme contact
GLOBEX_ADMIN = "admin@globex.example.com"
HANS = "hans.mueller@globex.example.com"  # Globex contact
PARTNER = "partner@partner.example.com"  # collaborator
