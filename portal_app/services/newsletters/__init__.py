"""Newsletters: list types as email opt-out lists (`lists.py`), and their signed landing links (`tokens.py`)."""
