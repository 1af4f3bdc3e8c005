"""The register: deliberations and opinions numbered per body and year, and the register's PDF."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from governance import selectors
from governance.models import Body, Deliberation, Mandate, Meeting
from governance.services.common import lock_body, record_event, require_editor, same_territory
from portal.models import User

if TYPE_CHECKING:
    from portal.documents.models import GeneratedDocument

REGISTER_BUILDER = "governance.reports.build_register"


def check_votes(
    *,
    meeting: Meeting | None,
    body: Body,
    decided_on: date,
    votes_for: int | None,
    votes_against: int | None,
    abstentions: int | None,
) -> None:
    total = (votes_for or 0) + (votes_against or 0) + (abstentions or 0)
    if meeting is not None:
        allowed = selectors.votes_allowed(meeting)
        what = _("membres présents ou représentés")
    else:
        allowed = Mandate.objects.for_territory(body.territory).filter(body=body, is_voting=True).on(decided_on).count()
        what = _("membres ayant voix délibérative")
    if total > allowed:
        raise ValidationError(
            {
                "votes_for": _(
                    "Les votes exprimés (%(total)s : pour, contre et abstentions) dépassent le nombre de "
                    "%(what)s (%(allowed)s)."
                )
                % {"total": total, "what": what, "allowed": allowed}
            }
        )


@transaction.atomic
def deliberation_record(
    *,
    actor: User,
    body: Body,
    kind: str,
    title: str,
    decided_on: date,
    outcome: str,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
    text: str = "",
    meeting: Meeting | None = None,
) -> Deliberation:
    """Record a deliberation or an opinion under the next number of the body's register for the year."""
    require_editor(actor, body.territory)
    same_territory(body.territory, meeting)
    if meeting is not None and meeting.body_id != body.pk:
        raise ValidationError({"meeting": _("Cette séance est celle d'une autre instance.")})
    body = lock_body(body)
    check_votes(
        meeting=meeting,
        body=body,
        decided_on=decided_on,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
    )
    last = (
        Deliberation.objects.for_territory(body.territory)
        .filter(body=body, year=decided_on.year)
        .aggregate(last=Max("number"))["last"]
    )
    deliberation = Deliberation(
        territory=body.territory,
        body=body,
        meeting=meeting,
        year=decided_on.year,
        number=(last or 0) + 1,
        kind=kind,
        title=title,
        text=text,
        decided_on=decided_on,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        outcome=outcome,
    )
    deliberation.full_clean()
    deliberation.save()
    record_event(territory=body.territory, actor=actor, verb="deliberation_record", target=deliberation)
    return deliberation


@transaction.atomic
def register_request(*, actor: User, body: Body, year: int) -> GeneratedDocument:
    from portal.documents.enums import DocumentAudience, DocumentKind
    from portal.documents.services import document_request

    require_editor(actor, body.territory)
    document = document_request(
        actor=actor,
        territory=body.territory,
        kind=DocumentKind.REGISTER,
        title=_("Registre des délibérations et avis %(year)s — %(body)s") % {"year": year, "body": body.name},
        builder=REGISTER_BUILDER,
        params={"body_id": body.pk, "year": year},
        audience=DocumentAudience.MEMBERS,
    )
    record_event(territory=body.territory, actor=actor, verb="register_request", target=document)
    return document
