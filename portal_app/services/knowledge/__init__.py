"""The knowledge base: articles by category, searched, public or for customers (`articles.py`)."""
