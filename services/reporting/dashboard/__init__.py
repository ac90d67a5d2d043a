"""The dashboard: its figures (`queries`), as an API (`api`) and as a web page (`page`)."""
