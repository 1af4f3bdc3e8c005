"""Reads of generated documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from portal.documents.enums import DocumentAudience, DocumentStatus
from portal.documents.models import GeneratedDocument
from portal.documents.permissions import AUDIENCE_CHECKS, roles_in
from portal.enums import EDITOR_ROLES, Role

if TYPE_CHECKING:
    from portal.models import Territory


def document_for_download(*, territory: Territory | None, pk: int) -> GeneratedDocument | None:
    """One document of `territory`; None for a missing one or another territory's."""
    return GeneratedDocument.objects.for_territory(territory).select_related("territory").filter(pk=pk).first()


def downloadable_documents(*, user: Any, territory: Territory, kind: str | None = None) -> list[GeneratedDocument]:
    """Ready documents of `territory` that `user` may download, newest first (an elected official's
    or a council member's page). One query for the roles, one for the documents; a body-limited
    council document also asks the governance check."""
    queryset = (
        GeneratedDocument.objects.for_territory(territory)
        .filter(status=DocumentStatus.READY)
        .select_related("territory")
        .latest_first()
    )
    if kind:
        queryset = queryset.of_kind(kind)
    roles = roles_in(user, territory)
    if roles & set(EDITOR_ROLES):
        return list(queryset)
    audiences = [DocumentAudience.PUBLIC]
    if Role.ELECTED_OFFICIAL in roles:
        audiences.append(DocumentAudience.ELECTED)
    if Role.COUNCIL_MEMBER in roles:
        audiences.append(DocumentAudience.MEMBERS)
    if getattr(user, "is_authenticated", False):
        addressed = Q(audience=DocumentAudience.PERSON, recipient_id=user.pk)
    else:
        addressed = Q(pk__in=[])
    return [
        document
        for document in queryset.filter(Q(audience__in=audiences) | addressed)
        if document.audience != DocumentAudience.MEMBERS or AUDIENCE_CHECKS[document.audience](user, document, roles)
    ]
