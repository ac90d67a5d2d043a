"""Whether an initiative counts towards reporting's figures is one rule said in two languages:
`tables.COUNTED` for a query and `InitiativeRow.counts` for a row the fold holds. They agree
on every row: its submission arrived (a field) or not, withdrawn or not."""

from datetime import UTC, datetime
from itertools import product
from uuid import uuid4

from sqlalchemy import create_engine, insert, select

from services.reporting.service.initiative_rows import InitiativeRow
from services.reporting.tables import COUNTED, Core


def test_a_query_counts_exactly_the_rows_the_fold_counts() -> None:
    rows = [
        InitiativeRow(
            initiative_id=uuid4(),
            campaign_code="2022",
            phase_code="dot-1",
            unit_code="PVGAS",
            title="Sáng kiến",
            field=field,
            month="2022-05",
            version_at=datetime(2022, 5, 1, tzinfo=UTC),
            withdrawn=withdrawn,
            recognised=recognised,
        )
        # "": a council's decision that overtook the submission left a row with no field yet.
        for field, withdrawn, recognised in product(("", "technical"), (False, True), (None, True))
    ]
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        Core.initiatives.create(connection)
        connection.execute(insert(Core.initiatives), [row.columns() for row in rows])
        query = select(Core.initiatives.c.initiative_id).where(COUNTED)
        counted_in_sql = set(connection.execute(query).scalars())
    assert counted_in_sql == {row.initiative_id for row in rows if row.counts()}
    assert len(counted_in_sql) == 2  # a field and not withdrawn, decided or not
