"""The pure heart of scoring: what a phase's events establish, and what follows from them.

`facts` folds events into `PhaseFacts` (grow-only sets, so the order and duplication of
events cannot change them); `targets` measures the federation and each unit against the
campaign's targets; `awards` turns that into emulation points, rankings and award proposals
at a phase's close; `council` is one initiative's review by its council (the members'
scorecards, and the decision the campaign's `initiative_review` rule gives). No I/O, no
clock: the service rebuilds facts from its events, passes `today`, stores what these
functions return and publishes it.
"""
