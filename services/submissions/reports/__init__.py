"""Reports (báo cáo) units send up each phase, and complaint cases (đơn thư)."""
