"""Initiative review by a council (hội đồng sáng kiến), as a pure domain.

`council.Review` is one initiative's review: the council assigned to it, each member's
scorecard, and the decision the campaign's `initiative_review` rule gives once every member has
scored (or the return to its authors). No database, no Kafka, no clock: the scoring service
stores the state and publishes the decision events of `shared.contracts.reviews`.
"""
