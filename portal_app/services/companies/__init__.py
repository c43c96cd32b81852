"""Companies and their contacts: the directory (own data, colleagues, staff's CRM) and the country rules."""
