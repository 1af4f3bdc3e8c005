"""The annual report: its PDF (built by a worker) and its path to the community council (sent, noted)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import AnnualReport, Body
from governance.services.common import record_event, require_editor
from portal.models import User

ANNUAL_REPORT_BUILDER = "governance.reports.build_annual_report"


@transaction.atomic
def report_request(*, actor: User, body: Body, year: int, public: bool | None = None) -> AnnualReport:
    """(Re)generate the annual report of `body` for `year`; the PDF is built by a worker."""
    from portal.documents.enums import DocumentAudience, DocumentKind
    from portal.documents.services import document_request

    require_editor(actor, body.territory)
    report, _created = AnnualReport.objects.get_or_create(territory=body.territory, body=body, year=year)
    if public is not None:
        report.is_public = public
    report.document = document_request(
        actor=actor,
        territory=body.territory,
        kind=DocumentKind.ANNUAL_REPORT,
        title=_("Bilan annuel %(year)s — %(body)s") % {"year": year, "body": body.name},
        builder=ANNUAL_REPORT_BUILDER,
        params={"body_id": body.pk, "year": year},
        audience=DocumentAudience.PUBLIC if report.is_public else DocumentAudience.MEMBERS,
    )
    report.save(update_fields=["document", "is_public"])
    record_event(territory=body.territory, actor=actor, verb="report_request", target=report)
    return report


@transaction.atomic
def report_mark_sent(*, actor: User, report: AnnualReport, on: date | None = None) -> AnnualReport:
    require_editor(actor, report.territory)
    report.sent_to_council_at = on or timezone.localdate()
    if report.noted_at and report.noted_at < report.sent_to_council_at:
        raise ValidationError(
            {"sent_to_council_at": _("La transmission ne peut pas suivre la prise d'acte du conseil communautaire.")}
        )
    report.save(update_fields=["sent_to_council_at"])
    record_event(territory=report.territory, actor=actor, verb="report_mark_sent", target=report)
    return report


@transaction.atomic
def report_mark_noted(*, actor: User, report: AnnualReport, on: date | None = None) -> AnnualReport:
    require_editor(actor, report.territory)
    on = on or timezone.localdate()
    if report.sent_to_council_at is None:
        raise ValidationError(
            {"noted_at": _("Indiquez d'abord la date de transmission du bilan au conseil communautaire.")}
        )
    if on < report.sent_to_council_at:
        raise ValidationError({"noted_at": _("Le conseil ne peut pas prendre acte du bilan avant de l'avoir reçu.")})
    report.noted_at = on
    report.save(update_fields=["noted_at"])
    record_event(territory=report.territory, actor=actor, verb="report_mark_noted", target=report)
    return report
