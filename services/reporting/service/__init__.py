"""Reporting's writes beside its projections (`handlers`): the per-unit and per-day counters
the projections move (`tallies`), the seven targets and the league computed from the read
models into materialised tables (`progress`), the worker that keeps them and the business
gauges fresh (`refresher`, `business_metrics`). Reads are `queries` and the `dashboard`,
`exports` and `summary` sub-packages."""
