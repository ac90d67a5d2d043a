"""The campaign file format (the plan of a year): a public contract, read by every service."""
