"""Contracts of the units topic: the union tree (cây tổ chức công đoàn)."""

from typing import Literal

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import Code, Name, UnitPath


class UnitRecorded(EventData, name="unit.recorded.v1", topic=topics.UNITS):
    """A union unit as it now stands (created or changed): consumers keep their own copy."""

    code: Code = Field(description="Mã đơn vị: stable, upper-case code, e.g. 'PVGAS'.")
    name: Name = Field(description="Tên đơn vị, in Vietnamese.")
    parent_code: Code | None = Field(description="The unit above it; None for the federation.")
    level: Literal["federation", "affiliated", "grassroots", "sub", "group"] = Field(
        description="The unit's level, from the top (vocabulary.UnitLevel)."
    )
    cluster: Code | None = Field(default=None, description="Cụm thi đua: units ranked together.")
    path: UnitPath = Field(
        description="Codes from the federation down to this unit, '/'-separated and ending "
        "with '/', e.g. 'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is a path prefix."
    )
