"""Where a person reads a case: the applicant's page and the coordinator's admin page."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from installations.models import Case


def reverse_or_empty(name: str, **kwargs: str | int) -> str:
    # The applicant's pages are built alongside; until their URL exists the link is left out.
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def applicant_case_url(case: Case) -> str:
    return reverse_or_empty("installations:case_detail", territory_slug=case.territory.slug, pk=case.pk)


def admin_case_url(case: Case) -> str:
    return reverse("admin:installations_case_change", args=[case.pk])
