"""Public pages of the training axis under `/<territory_slug>/formation/`: the axis' home, the
offers (filterable), an offer, and where trainees can go commune by commune."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.forms import field_html
from portal.public_cache import public_page
from training import selectors
from training.cards import offer_cards
from training.filters import OfferFilter

OFFERS_PER_PAGE = 20


@require_GET
@public_page
def home(request: HttpRequest, territory_slug: str) -> HttpResponse:
    return render(request, "training/home.html", {"territory": request.territory})  # type: ignore[attr-defined]


@require_GET
@public_page
def offer_list(request: HttpRequest, territory_slug: str) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    filterset = OfferFilter(
        request.GET or None, queryset=selectors.public_offers(territory, with_sites=False), territory=territory
    )
    # A wrong value is refused next to its field; the other filters still apply.
    page = Paginator(filterset.qs, OFFERS_PER_PAGE).get_page(request.GET.get("page"))
    offers = list(page.object_list)
    return render(
        request,
        "training/offer_list.html",
        {
            "territory": territory,
            "form": filterset.form,
            # The fields as includes/field.html writes them, in Python (portal.forms.field_html).
            "filter_fields": [field_html(field) for field in filterset.form],
            "page": page,
            "offers": offers,
            "cards": offer_cards(
                offers, sites_by_offer=selectors.offer_site_rows([o.pk for o in offers]), territory_slug=territory.slug
            ),
        },
    )


@require_GET
@public_page
def offer_detail(request: HttpRequest, territory_slug: str, pk: int) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    offer = selectors.public_offers(territory).filter(pk=pk).first()
    if offer is None:
        raise Http404(_("Cette offre de stage n'existe pas."))
    return render(request, "training/offer_detail.html", {"territory": territory, "offer": offer})


@require_GET
def sites_by_commune(request: HttpRequest, territory_slug: str) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    return render(
        request,
        "training/sites_by_commune.html",
        {"territory": territory, "groups": selectors.sites_by_commune(territory)},
    )
