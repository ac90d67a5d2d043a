"""The demo year: plan 46/KH-CĐDK played as 2022 through the running services.

`story` decides, from a seed, what happens on which day (pure data: `plan_year`); `player`
sends it through the public HTTP APIs while moving the stack's clock file day by day;
`python -m services.submissions.demo_year` does both, once (`make run` calls it).
"""
