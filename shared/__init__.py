"""Code every Thi Đua service shares: event contracts, messaging, database and HTTP plumbing."""
