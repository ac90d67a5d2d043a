"""The union tree."""

from datetime import datetime

from sqlmodel import Field

from services.submissions.db import SubmissionsTable
from shared.contracts.bounds import CODE_MAX, NAME_MAX, PATH_MAX, VOCABULARY_MAX


class Unit(SubmissionsTable, table=True):
    __tablename__ = "units"

    code: str = Field(primary_key=True, max_length=CODE_MAX)
    name: str = Field(max_length=NAME_MAX)
    parent_code: str | None = Field(default=None, foreign_key="units.code", max_length=CODE_MAX)
    level: str = Field(max_length=VOCABULARY_MAX)
    cluster: str | None = Field(default=None, max_length=CODE_MAX)
    # 'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is every unit whose path starts with this one's.
    path: str = Field(max_length=PATH_MAX, index=True)
    updated_at: datetime
