"""Contracts of the units topic: the union tree (cây tổ chức công đoàn)."""

from typing import Literal, Self

from pydantic import Field, model_validator

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import Code, Name, UnitPath
from shared.unit_tree import path_codes


class UnitRecorded(EventData, name="unit.recorded.v1", topic=topics.UNITS):
    """A union unit as it now stands (created or changed): consumers keep their own copy."""

    code: Code = Field(description="Mã đơn vị: stable, upper-case code, e.g. 'PVGAS'.")
    name: Name = Field(description="Tên đơn vị, in Vietnamese.")
    parent_code: Code | None = Field(
        description="The unit above it: the code before its own in `path`; None for the "
        "federation (a path of one code). A record whose parent and path disagree is refused."
    )
    level: Literal["federation", "affiliated", "grassroots", "sub", "group"] = Field(
        description="The unit's level, from the top (vocabulary.UnitLevel)."
    )
    cluster: Code | None = Field(default=None, description="Cụm thi đua: units ranked together.")
    path: UnitPath = Field(
        description="Codes from the federation down to this unit, '/'-separated and ending "
        "with '/', e.g. 'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is a path prefix."
    )

    @model_validator(mode="after")
    def _path_ends_with_the_code(self) -> Self:
        # Every consumer sums a unit's figures into each code on its path and then reads the
        # unit's own sum by its code (shared.campaign.progress.unit_standings): a path that
        # does not end with the unit was stored by reporting, whose refresh then failed on
        # every phase of every campaign on every round (KeyError), for good. Submissions only
        # ever writes shared.unit_tree.child_path(parent's path, code).
        codes = path_codes(self.path)
        if self.path != "".join(f"{code}/" for code in codes) or not codes:
            raise ValueError(f"path must be codes each ending with '/', got {self.path!r}")
        if codes[-1] != self.code:
            raise ValueError(
                f"path must end with the unit's code {self.code!r}/, got {self.path!r}"
            )
        # The tree is read both ways: reporting's and scoring's subtrees by the path, the
        # portal's and the exports' "unit above" by the parent; the two must name one tree.
        above = codes[-2] if len(codes) > 1 else None
        if self.parent_code != above:
            raise ValueError(
                f"parent_code must be the code before the unit's own in its path ({above!r}), "
                f"got {self.parent_code!r}"
            )
        return self
