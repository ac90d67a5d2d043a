"""Tổng hợp: a campaign's figures for a unit and its subtree, rolled up (`api` answers
`GET /api/v1/summary/{campaign_code}`, `queries` reads them in SQL)."""
