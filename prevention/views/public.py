"""Public pages: the agenda (on portal/events), its feed, the per-commune inventory, initiatives and
good practices. The territory's team sees the same pages with its unpublished initiatives and their
budget; everyone else sees what is published."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.enums import EDITOR_ROLES
from portal.events import ics
from portal.events.invitations import event_vevent
from portal.public_cache import public_page
from portal.tenancy.access import has_role
from prevention import selectors
from prevention.filters import AgendaFilter, InitiativeFilter

FEED_LIMIT = 500


def is_team(request) -> bool:
    return has_role(request.user, request.territory, EDITOR_ROLES)


@require_GET
@public_page
def agenda(request, territory_slug):
    territory = request.territory
    filterset = AgendaFilter(request.GET, queryset=selectors.agenda_events(territory=territory), territory=territory)
    events = list(filterset.qs)
    for event in events:
        event.theme_label = selectors.theme_label(event.theme)
    return render(
        request,
        "prevention/agenda.html",
        {
            "territory": territory,
            "filter": filterset,
            "form": filterset.form,
            "events": events,
            "showing_past": filterset.showing_past,
            "now": timezone.now(),
            "feed_query": request.GET.urlencode(),
        },
        status=400 if filterset.form.errors else 200,
    )


@require_GET
def agenda_feed(request, territory_slug):
    """The territory's prevention events as an iCalendar feed, with the agenda's filters
    (`?theme=nutrition&commune=<id>`). A wrong filter answers 400 with what is wrong, in French."""
    territory = request.territory
    filterset = AgendaFilter(request.GET, queryset=selectors.agenda_events(territory=territory), territory=territory)
    if not filterset.form.is_valid():
        problems = [
            f"{filterset.form.fields[name].label} : {' '.join(errors)}"
            if name in filterset.form.fields
            else " ".join(errors)
            for name, errors in filterset.form.errors.items()
        ]
        return HttpResponseBadRequest(
            _("Filtre non valable pour le flux d'agenda.") + "\n" + "\n".join(problems),
            content_type="text/plain; charset=utf-8",
        )
    events = filterset.qs[:FEED_LIMIT]
    response = HttpResponse(
        ics.calendar(
            [event_vevent(event) for event in events],
            name=_("Prévention — %(territory)s") % {"territory": territory.name},
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="prevention-{territory.slug}.ics"'
    return response


@require_GET
def communes(request, territory_slug):
    team = is_team(request)
    table = selectors.commune_theme_table(territory=request.territory, public=not team)
    # Most communes of a large territory have nothing yet: the reader may keep only those that have.
    hide_empty = request.GET.get("vides") == "masquer"
    return render(
        request,
        "prevention/communes.html",
        {
            "territory": request.territory,
            "table": table,
            "rows": table.with_actions_only() if hide_empty else table.rows,
            "hide_empty": hide_empty,
            "is_team": team,
        },
    )


@require_GET
def initiative_list(request, territory_slug):
    territory = request.territory
    team = is_team(request)
    filterset = InitiativeFilter(
        request.GET, queryset=selectors.initiatives(territory=territory, public=not team), territory=territory
    )
    return render(
        request,
        "prevention/initiative_list.html",
        {
            "territory": territory,
            "filter": filterset,
            "form": filterset.form,
            "initiatives": list(filterset.qs),
            "is_team": team,
        },
        status=400 if filterset.form.errors else 200,
    )


@require_GET
def initiative_detail(request, territory_slug, pk):
    team = is_team(request)
    initiative = selectors.initiative_detail(territory=request.territory, pk=pk, public=not team)
    if initiative is None:
        raise Http404(_("Cette action n'existe pas."))
    context = {"territory": request.territory, "initiative": initiative, "is_team": team}
    if team:
        context["fundings"] = selectors.initiative_fundings(initiative)
        context["documents"] = selectors.initiative_documents(initiative)
    return render(request, "prevention/initiative_detail.html", context)


@require_GET
def good_practices(request, territory_slug):
    team = is_team(request)
    return render(
        request,
        "prevention/good_practices.html",
        {
            "territory": request.territory,
            "practices": list(selectors.good_practices(territory=request.territory, public=not team)),
            "is_team": team,
            "shares": team and selectors.territory_shares(request.territory),
        },
    )
