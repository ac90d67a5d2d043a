"""Scoring's use cases: each takes the caller's session (the unit of work) and the outbox,
applies a rule of `domain`, stores the result and publishes what others must see.

`reviews`: a council member's act on an initiative; `awarding`: the facts a phase is judged
on, its close and the award proposals that follow. The same functions serve the HTTP routes
and the consumer's handlers; they raise domain errors (`LookupError`s), never HTTP ones.
"""
