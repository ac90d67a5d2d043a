"""The portal's pages, one module per area; the menu follows this order.

Each module has a `router` (its routes, under /portal) and a `MENU` (its menu entries with the
roles they are offered to; empty for pages reached otherwise). See the package's docstring
(services/portal/__init__.py) for how to add one.
"""

from types import ModuleType

from services.portal.pages import (
    admin,
    admin_awards,
    admin_contacts,
    admin_subscribers,
    admin_tree,
    assignment,
    campaigns,
    complaints,
    council,
    council_sheet,
    home,
    imports,
    inbox,
    initiative,
    initiatives,
    registrations,
    reports,
    settings,
    sign_in,
    standing,
)

PAGES: tuple[ModuleType, ...] = (
    home,
    initiatives,
    initiative,
    registrations,
    reports,
    imports,
    complaints,
    standing,
    council,
    council_sheet,
    assignment,
    admin,
    campaigns,
    admin_tree,
    admin_awards,
    admin_subscribers,
    admin_contacts,
    inbox,
    settings,
    sign_in,
)
