"""Who is calling and what they may do: bearer tokens (JWT), checked the same way by every service.

A token carries OIDC-style claims: `sub` (the person's id, e.g. a member id), `name`, `roles`
(`member`, `unit_officer`, `reviewer`, `federation_admin`), `unit` (the unit code the person
belongs to or acts for), `iss`, `aud`, `exp`, `iat`. In development every service checks tokens
with one shared HS256 secret (`python -m shared.dev_tokens` prints some); in production an OIDC
provider signs them with RS256 and the services hold only its public key.

Who may do what: a member sees and submits their own things; a unit officer acts for their unit's
subtree and no other; a reviewer scores what they are assigned; a federation admin manages
campaigns and phases. The unit tree lives in the submissions service's database, so this module
does not know it: a service passes a `UnitScope` that answers "is unit X inside unit Y's subtree".

Every refusal (401 and 403) is answered in Vietnamese and English like any other client error and
logged at WARNING by `thidua.auth`, with the subject, roles, method, path and reason.

Wiring in a service: `app.state.auth_settings = check_startup_settings(deployment)` at startup
(which warns when the development secret is in use, and refuses it in production) and
`install_auth_error_handler(app)` so that a 401 carries its `WWW-Authenticate` header. Routes
then take `principal: CurrentPrincipal`, or
`Annotated[Principal, Depends(require_roles(Role.UNIT_OFFICER))]`. `create_app` also installs
`refuse_invalid_token` on every route: a token that is sent must be valid, even where none is
needed; and `refuse_by_role_first`: a role a route requires is checked before its input is.

The package is split by concern: `principal` (roles, `Principal`), `settings` (`AuthSettings`,
the production checks), `tokens` (checking and signing them), `refusals` (401/403, their log
line and handler), `dependencies` (the FastAPI wiring), `scope` (which units a principal may act
for) and `permissions` (the table of who may call what, which the README shows and a test
checks the services against). This module re-exports the public names services import.
"""

from shared.auth.dependencies import (
    CurrentPrincipal,
    FederationAdmin,
    OptionalPrincipal,
    auth_settings,
    current_principal,
    demo_sign_in_enabled,
    deployment_settings,
    optional_principal,
    refuse_by_role_first,
    refuse_invalid_token,
    refused_by_role,
    require_roles,
)
from shared.auth.principal import Principal, Role
from shared.auth.refusals import AuthRefusal, install_auth_error_handler
from shared.auth.scope import (
    ParentMapScope,
    UnitScope,
    can_act_for_unit,
    ensure_can_act_for_unit,
    ensure_is_self_or_officer,
)
from shared.auth.settings import (
    DEV_SECRET,
    AuthSettings,
    UnsafeSettings,
    check_startup_settings,
    demo_sign_in_allowed,
    load_auth_settings,
    warn_if_dev_secret,
)
from shared.auth.tokens import TokenError, TokenProblem, decode_token, mint_token

__all__ = [
    "DEV_SECRET",
    "AuthRefusal",
    "AuthSettings",
    "CurrentPrincipal",
    "FederationAdmin",
    "OptionalPrincipal",
    "ParentMapScope",
    "Principal",
    "Role",
    "TokenError",
    "TokenProblem",
    "UnitScope",
    "UnsafeSettings",
    "auth_settings",
    "can_act_for_unit",
    "check_startup_settings",
    "current_principal",
    "decode_token",
    "demo_sign_in_allowed",
    "demo_sign_in_enabled",
    "deployment_settings",
    "ensure_can_act_for_unit",
    "ensure_is_self_or_officer",
    "install_auth_error_handler",
    "load_auth_settings",
    "mint_token",
    "optional_principal",
    "refuse_by_role_first",
    "refuse_invalid_token",
    "refused_by_role",
    "require_roles",
    "warn_if_dev_secret",
]
