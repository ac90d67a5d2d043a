"""A year's emulation plan (kế hoạch phát động thi đua) as data: one declarative YAML file.

`model` describes the file (theme, movements, phases, targets and their indicators, the
initiative council's criteria, award rules); `loader` reads and validates it. A new year is a
new file in `campaigns/`, never new code.
"""
