"""The offer cards of the public list written in Python: the list is the axis' busiest page, and
the template engine spent about 1 ms a card (translations, dates and URLs resolved for each one).
The HTML is the same as the offer page's parts (`training/_offer_sites.html`, `_places.html`)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from training.enums import HostSiteKind, TraineeLevel
from training.selectors import OfferCard, OfferSiteRow


def offer_cards(
    offers: Iterable[OfferCard], *, sites_by_offer: dict[int, list[OfferSiteRow]], territory_slug: str
) -> list[SafeString]:
    levels = {value: escape(str(label)) for value, label in TraineeLevel.choices}
    kinds = {value: escape(str(label)) for value, label in HostSiteKind.choices}
    detail = reverse("training:offer_detail", kwargs={"territory_slug": territory_slug, "pk": 0})[: -len("0/")]
    full = escape(gettext("Complet"))
    labels: dict[str, str] = {}
    cards = []
    for offer in offers:
        sites = []
        for site in sites_by_offer[offer.pk]:
            dates = ""
            if site.start_date and site.end_date:
                when = gettext("du %(start)s au %(end)s") % {
                    "start": date_format(site.start_date, "j F Y"),
                    "end": date_format(site.end_date, "j F Y"),
                }
                dates = f'<br><span class="muted">{escape(when)}</span>'
            sites.append(
                f"<li>{escape(site.site_name)} — {escape(site.commune_name)} "
                f'<span class="muted">({kinds.get(site.kind, "")})</span>{dates}</li>'
            )
        free = offer.free_places
        if free:
            text = ngettext("%(counter)s place libre", "%(counter)s places libres", free) % {"counter": free}
            places = f'<span class="badge badge-success">{escape(text)}</span>'
        else:
            places = f'<span class="badge badge-warning">{full}</span>'
        if offer.semester not in labels:
            labels[offer.semester] = escape(offer.semester_label)
        specialty = f" — {escape(offer.specialty)}" if offer.specialty else ""
        cards.append(
            mark_safe(  # noqa: S308 (every value escaped above)
                f'<li class="card"><h2><a href="{detail}{offer.pk}/">{escape(offer.title)}</a></h2>'
                f"<p>{levels.get(offer.level, '')}{specialty} · {labels[offer.semester]}</p>"
                f'<ul class="offer-sites">{"".join(sites)}</ul><p>{places}</p></li>'
            )
        )
    return cards
