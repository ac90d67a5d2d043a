"""The union tree."""

from datetime import datetime

from sqlmodel import Field

from services.submissions.db import SubmissionsTable


class Unit(SubmissionsTable, table=True):
    __tablename__ = "units"

    code: str = Field(primary_key=True, max_length=50)
    name: str = Field(max_length=300)
    parent_code: str | None = Field(default=None, foreign_key="units.code", max_length=50)
    level: str = Field(max_length=20)
    cluster: str | None = Field(default=None, max_length=50)
    # 'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is every unit whose path starts with this one's.
    path: str = Field(max_length=1000, index=True)
    updated_at: datetime
