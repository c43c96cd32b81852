"""Reports: the kinds of chart (`report_kinds.py`) and the reports staff shares with customers (`reports.py`)."""
