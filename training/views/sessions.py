"""The territory's coming training sessions and welcome evenings (`/<territoire>/formation/sessions/`).
Registration, waiting list and certificates happen on the shared event pages they link to."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from training import selectors_programmes as selectors
from training.filters_programmes import SessionFilter


@require_GET
def session_list(request, territory_slug):
    territory = request.territory
    filterset = SessionFilter(request.GET or None, queryset=selectors.coming_sessions(territory=territory))
    sessions = list(filterset.qs)
    for session in sessions:
        # The shared events' templates count the places left from the event's annotation.
        session.event.registered_count = session.registered_count
    return render(
        request,
        "training/session_list.html",
        {"territory": territory, "filter": filterset, "form": filterset.form, "sessions": sessions},
    )
