"""Pages only the territory's team reads (coordinators, managers; 404 for anyone else)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.enums import EDITOR_ROLES
from portal.privacy.enums import AccessKind
from portal.privacy.services import access_record
from portal.tenancy.decorators import territory_role_required
from prevention import selectors
from prevention.models import InitiativeDocument
from prevention.models.sanitary_service import academic_year_label


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@territory_role_required(*EDITOR_ROLES)
def shared_good_practices(request, territory_slug):
    return _private(
        render(
            request,
            "prevention/shared_list.html",
            {"territory": request.territory, "sheets": selectors.shared_good_practices(reader=request.territory)},
        )
    )


@require_GET
@territory_role_required(*EDITOR_ROLES)
def shared_good_practice(request, territory_slug, pk):
    sheet = selectors.shared_good_practice(reader=request.territory, pk=pk)
    if sheet is None:
        raise Http404(_("Cette bonne pratique n'est pas partagée."))
    return _private(render(request, "prevention/shared_detail.html", {"territory": request.territory, "sheet": sheet}))


def _current_academic_year() -> int:
    # The service sanitaire runs over the academic year, which starts in September.
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def _academic_year(request) -> int:
    current = _current_academic_year()
    try:
        year = int(request.GET.get("annee", current))
    except ValueError:
        return current
    return year if 2018 <= year <= current + 1 else current


@require_GET
@territory_role_required(*EDITOR_ROLES)
def sanitary_service(request, territory_slug):
    year = _academic_year(request)
    current = _current_academic_year()
    # The page names the territory's health ambassadors: a staff read of personal data.
    access_record(
        user=request.user,
        territory_ids=[request.territory.pk],
        kind=AccessKind.PERSON_LIST,
        object_ref=_("ambassadeurs santé (service sanitaire)"),
        request=request,
    )
    return _private(
        render(
            request,
            "prevention/sanitary_service.html",
            {
                "territory": request.territory,
                "year": year,
                "year_label": academic_year_label(year),
                "years": [(y, academic_year_label(y)) for y in range(current + 1, current - 4, -1)],
                "planning": selectors.sanitary_planning(territory=request.territory, year=year),
                "hosting": selectors.hosting_sites(territory=request.territory, year=year),
                "ambassadors": selectors.ambassadors_by_commune(territory=request.territory),
            },
        )
    )


@require_GET
@territory_role_required(*EDITOR_ROLES)
def document_download(request, territory_slug, pk):
    document = get_object_or_404(InitiativeDocument.objects.for_territory(request.territory), pk=pk)
    try:
        handle = document.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    return _private(FileResponse(handle, as_attachment=True, filename=f"{document.title}.pdf"))
