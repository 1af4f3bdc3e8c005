"""URLconf of the installations load benchmark: the portal's URLs and the floor, a minimal view
through the same middleware that reads the same 25 rows as the coordinator's list with one query."""

from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from config.urls import urlpatterns as portal_urlpatterns
from installations.models import Case


def floor(request, territory_slug):
    # The same middleware as every page (session, user, territory from the URL, CSP); one query.
    rows = (
        Case.objects.for_territory(request.territory)
        .filter(status=request.GET.get("status", "submitted"))
        .order_by("-submitted_at", "-id")
        .values_list("reference", "applicant_last_name", "submitted_at")[:25]
    )
    body = "".join(f"<li>{escape(ref)} {escape(name)} {when:%Y-%m-%d}</li>" for ref, name, when in rows)
    return HttpResponse(f"<!DOCTYPE html><title>floor</title><ul>{body}</ul>")


urlpatterns = [path("bench/floor/<slug:territory_slug>/", floor, name="bench_floor"), *portal_urlpatterns]
