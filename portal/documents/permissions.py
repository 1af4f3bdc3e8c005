"""Who may download a generated document.

`AUDIENCE_CHECKS` maps each audience to a check `(user, document, roles) -> bool`, where `roles` is
the set of roles the user holds in the document's territory (read once per request). The
territory's coordinators and managers may always download; a superuser too.

Council documents (`members`) are read by the territory's elected officials and the council members;
they may be limited to one body (`params["body_id"]`): the governance app says who belongs to it by
naming a function in its AppConfig's hooks (portal/hooks.py), like the report sections do::

    class GovernanceConfig(AppConfig):
        hooks = AppHooks(document_member_check="governance.selectors.is_body_member", ...)

    def is_body_member(*, user, territory, body_id) -> bool: ...

Until such a function is declared, a body's documents are for the staff only (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

from portal.documents.enums import DocumentAudience
from portal.enums import EDITOR_ROLES, Role
from portal.hooks import declared_hooks


def roles_in(user, territory) -> set[str]:
    if territory is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Role.values)
    from portal.models import Membership

    return set(
        Membership.objects.filter(user=user, territory=territory, territory__is_active=True).values_list(
            "role", flat=True
        )
    )


def member_checks() -> list[Callable[..., bool]]:
    paths = [hooks.document_member_check for _config, hooks in declared_hooks()]
    return [import_string(path) for path in paths if path]


def _is_member(user, document, roles) -> bool:
    # The territory's elected officials read every body's documents: the governance pages list
    # the minutes of all its bodies to them.
    if Role.ELECTED_OFFICIAL in roles:
        return True
    if Role.COUNCIL_MEMBER not in roles:
        return False
    body_id = (document.params or {}).get("body_id")
    if body_id is None:
        return True
    return any(check(user=user, territory=document.territory, body_id=body_id) for check in member_checks())


AUDIENCE_CHECKS: dict[str, Callable[..., bool]] = {
    DocumentAudience.STAFF: lambda user, document, roles: False,
    DocumentAudience.ELECTED: lambda user, document, roles: Role.ELECTED_OFFICIAL in roles,
    DocumentAudience.MEMBERS: _is_member,
    DocumentAudience.PUBLIC: lambda user, document, roles: True,
    # The person the document is addressed to, whatever their roles; nobody else but the team.
    DocumentAudience.PERSON: lambda user, document, roles: (
        document.recipient_id is not None and getattr(user, "pk", None) == document.recipient_id
    ),
}


def may_download(user, document) -> bool:
    if document.audience == DocumentAudience.PUBLIC:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = roles_in(user, document.territory)
    if roles & set(EDITOR_ROLES):
        return True
    check = AUDIENCE_CHECKS.get(document.audience)
    return bool(check and check(user, document, roles))
