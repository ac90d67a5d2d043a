"""The four Thi Đua services; each is a package with its own database and migrations."""
