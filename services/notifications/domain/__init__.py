"""Notifications' rules, without I/O: who is told of which event (`rules`, from rules.yaml)
and what a message says in each language (`templates` from templates.yaml, with their
`template_filters`)."""
