"""Scoring's HTTP routes: parse the request, call a use case of `service`, map the answer.

`reviews`: the council's work on one initiative (assign, score, vote, return, the queue);
`awards`: a phase's proposals, their confirmation or rejection, revocation, standings.
"""
