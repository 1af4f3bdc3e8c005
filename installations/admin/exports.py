"""The CSV export of the coordinators' case list: exactly the list on screen (same filters, search
and order), every page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from installations import selectors
from portal.enums import EDITOR_ROLES
from portal.privacy.enums import AccessKind
from portal.privacy.services import access_record, readable_territory_ids
from portal.tenancy.admin import csv_response


class CaseExportMixin:
    """CaseAdmin's CSV export of the filtered list."""

    def export_rows(self, queryset):
        headers = [
            _("référence"),
            _("statut"),
            _("déposée le"),
            _("nom"),
            _("prénom"),
            _("e-mail"),
            _("profession"),
            _("spécialité"),
            _("communes envisagées"),
            _("besoins"),
            _("coordinateur en charge"),
            _("dernier contact (jours)"),
            _("sans réponse"),
            _("date d'installation"),
            _("commune d'installation"),
        ]
        yield [str(h) for h in headers]
        queryset = queryset.select_related("assigned_to", "settlement_commune").prefetch_related(
            "target_communes", "needs"
        )
        now = timezone.now()
        for case in queryset.iterator(chunk_size=500):
            reference = getattr(case, "contact_reference", None) or case.last_contact_at or case.submitted_at
            yield [
                case.reference,
                case.get_status_display(),
                timezone.localtime(case.submitted_at).strftime("%d/%m/%Y %H:%M"),
                case.applicant_last_name,
                case.applicant_first_name,
                case.applicant_email,
                case.get_profession_display(),
                case.specialty,
                ", ".join(c.name for c in case.target_communes.all()),
                ", ".join(str(n.get_kind_display()) for n in case.needs.all()),
                str(case.assigned_to or ""),
                str(selectors.days_since(reference, now=now)),
                _("oui") if getattr(case, "no_answer", False) else _("non"),
                case.settlement_date.strftime("%d/%m/%Y") if case.settlement_date else "",
                case.settlement_commune.name if case.settlement_commune_id else "",
            ]

    def export_view(self, request):
        """The CSV of exactly the list on screen: same filters, search and order, every page."""
        if not self._is_team_user(request):
            raise PermissionDenied
        access_record(
            user=request.user,
            territory_ids=readable_territory_ids(request.user, roles=EDITOR_ROLES),
            kind=AccessKind.EXPORT,
            object_ref=str(_("demandes d'accompagnement")),
            request=request,
        )
        return csv_response(
            self.export_rows(selectors.annotate_case_list(self.case_filterset(request).qs)), name="demandes"
        )
