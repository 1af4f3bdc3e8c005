"""Public pages of the training axis under `/<territory_slug>/formation/`: the axis' home, the
offers (filterable), an offer, and where trainees can go commune by commune."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.forms import field_html
from training import selectors
from training.cards import offer_cards
from training.filters import OfferFilterForm, filter_offers
from training.models import Offer
from training.selectors import OfferCard

OFFERS_PER_PAGE = 20


@require_GET
def home(request: HttpRequest, territory_slug: str) -> HttpResponse:
    return render(request, "training/home.html", {"territory": request.territory})  # type: ignore[attr-defined]


@require_GET
def offer_list(request: HttpRequest, territory_slug: str) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    form = OfferFilterForm(request.GET or None, territory=territory)
    # A wrong value is refused next to its field; the other filters still apply.
    offers = filter_offers(selectors.listed_offers(territory), form)
    cards, page = _page(offers, request.GET.get("page"))
    return render(
        request,
        "training/offer_list.html",
        {
            "territory": territory,
            "form": form,
            # The fields as includes/field.html writes them, in Python (portal.forms.field_html).
            "filter_fields": [field_html(field) for field in form],
            "page": page,
            "offers": cards,
            "cards": offer_cards(
                cards,
                sites_by_offer=selectors.offer_site_rows([card.pk for card in cards]),
                territory_slug=territory.slug,
            ),
        },
    )


def _page(offers: QuerySet[Offer], number: str | None) -> tuple[list[OfferCard], Page]:
    """The page asked for, as Django's paginator chooses it (page 1 for a wrong number, the last one
    past the end), with its rows and the total read in one query; the total is counted apart only
    when the page asked for has no row."""
    try:
        guess = int(number) if number is not None else 1
    except ValueError:
        guess = 1
    cards, total = selectors.offer_cards_page(offers, guess, OFFERS_PER_PAGE) if guess >= 1 else ([], None)
    paginator = Paginator(offers, OFFERS_PER_PAGE)
    if total is not None:
        paginator.count = total  # the paginator's own COUNT otherwise
    page = paginator.get_page(number)
    if page.number != guess and paginator.count:
        cards, _total = selectors.offer_cards_page(offers, page.number, OFFERS_PER_PAGE)
    page.object_list = cards  # type: ignore[assignment]
    return cards, page


@require_GET
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
