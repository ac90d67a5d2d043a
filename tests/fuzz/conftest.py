"""The unit tests' database templates (migrated once per session, copied per app)."""

from tests.unit.conftest import (  # noqa: F401 (the fixtures)
    notifications_template,
    reporting_template,
    scoring_template,
    submissions_template,
)
