"""Accounts: signing in, sessions, lockout, invitations and password resets, and password hashing."""
