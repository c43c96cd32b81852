"""Support tickets: the rules, the ticket and comment services, lists, search, counts, files and mails."""
