"""The portal's words, one module per area, merged into the one catalogue i18n.py reads.

Each module has `WORDS = {key: (Vietnamese, English)}`; both complete (a test checks). A key
belongs to one module only: a second definition fails at import, not as a silent overwrite.
"""

from types import MappingProxyType

from services.portal.words import (
    admin,
    admin_awards,
    admin_contacts,
    admin_subscribers,
    admin_tree,
    assignment,
    campaigns,
    common,
    complaints,
    council,
    home,
    imports,
    inbox,
    initiatives,
    registrations,
    reports,
    sign_in,
    standing,
)

AREAS = (
    common,
    home,
    initiatives,
    registrations,
    reports,
    imports,
    complaints,
    standing,
    council,
    assignment,
    inbox,
    sign_in,
    admin,
    campaigns,
    admin_tree,
    admin_awards,
    admin_subscribers,
    admin_contacts,
)


def _merged() -> dict[str, tuple[str, str]]:
    words: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        twice = words.keys() & area.WORDS.keys()
        if twice:
            raise ValueError(f"{area.__name__} defines words defined before: {sorted(twice)}")
        words.update(area.WORDS)
    return words


WORDS = MappingProxyType(_merged())
