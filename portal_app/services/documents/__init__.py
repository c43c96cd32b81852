"""Documents: files staff shares with one company, listed and downloaded by its contacts."""
