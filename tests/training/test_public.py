"""The training axis on a territory's public site: its entry on the home page, the offers with
their filters, an offer, where trainees can go commune by commune."""

import pytest
from django.urls import reverse

from tests.portal.factories import CommuneFactory
from tests.training.factories import (
    HostingCapacityFactory,
    HostSiteFactory,
    OfferFactory,
    OfferSiteFactory,
    PlacementFactory,
)
from training.enums import HostSiteKind, TraineeLevel

pytestmark = pytest.mark.django_db


def _offers(client, territory, **params):
    response = client.get(reverse("training:offer_list", kwargs={"territory_slug": territory.slug}), params)
    assert response.status_code == 200
    return {offer.title for offer in response.context["offers"]}, response


def test_the_territory_home_links_to_the_training_pages(client, territory_a):
    body = client.get(territory_a.get_absolute_url()).content.decode()
    assert reverse("training:home", kwargs={"territory_slug": territory_a.slug}) in body
    home = client.get(reverse("training:home", kwargs={"territory_slug": territory_a.slug}))
    assert home.status_code == 200
    assert "Trouver une offre de stage" in home.content.decode()


def test_offers_filter_by_level_commune_semester_and_type_of_site(client, territory_a, territory_b):
    valognes, cherbourg = CommuneFactory(name="Valognes"), CommuneFactory(name="Cherbourg-en-Cotentin")
    hospital = HostSiteFactory(territory=territory_a, commune=cherbourg, kind=HostSiteKind.HOSPITAL_DEPARTMENT)
    practice = HostSiteFactory(territory=territory_a, commune=valognes, kind=HostSiteKind.PRACTICE)
    urgences = OfferFactory(territory=territory_a, title="Urgences", with_site=False)
    OfferSiteFactory(territory=territory_a, offer=urgences, host_site=hospital)
    joint = OfferFactory(territory=territory_a, title="Parcours ville-hôpital", with_site=False, semester="2027-ete")
    OfferSiteFactory(territory=territory_a, offer=joint, host_site=hospital)
    OfferSiteFactory(territory=territory_a, offer=joint, host_site=practice)
    nursing = OfferFactory(territory=territory_a, title="Soins infirmiers", level=TraineeLevel.NURSING, specialty="")
    OfferFactory(territory=territory_a, title="Pas publiée", published=False)
    OfferFactory(territory=territory_b, title="Autre territoire")

    assert _offers(client, territory_a)[0] == {"Urgences", "Parcours ville-hôpital", "Soins infirmiers"}
    assert _offers(client, territory_a, level="nursing")[0] == {nursing.title}
    assert _offers(client, territory_a, commune=valognes.pk)[0] == {"Parcours ville-hôpital"}
    assert _offers(client, territory_a, commune=cherbourg.pk)[0] == {"Urgences", "Parcours ville-hôpital"}
    assert _offers(client, territory_a, semester="2027-ete")[0] == {"Parcours ville-hôpital"}
    assert _offers(client, territory_a, site_kind="practice")[0] == {"Parcours ville-hôpital"}


def test_a_wrong_filter_value_is_said_next_to_its_field_and_the_others_still_apply(client, territory_a):
    OfferFactory(territory=territory_a, title="Interne")
    OfferFactory(territory=territory_a, title="Externe", level=TraineeLevel.EXTERN, specialty="")
    titles, response = _offers(client, territory_a, semester="2026-printemps", level="extern")
    assert titles == {"Externe"}
    assert "id_semester_error" in response.content.decode()


def test_the_offers_list_answers_in_four_queries_whatever_the_offers(client, territory_a, django_assert_num_queries):
    commune = CommuneFactory()
    site = HostSiteFactory(territory=territory_a, commune=commune, kind=HostSiteKind.MSP)
    for _ in range(25):
        offer = OfferFactory(territory=territory_a, with_site=False)
        OfferSiteFactory(territory=territory_a, offer=offer, host_site=site)
        OfferSiteFactory(territory=territory_a, offer=offer)
        PlacementFactory(territory=territory_a, offer=offer)
    url = reverse("training:offer_list", kwargs={"territory_slug": territory_a.slug})
    client.get(url)  # the footer's legal notice, read once and cached
    # The territory, the communes of the filter, the page's offers with their total, their sites.
    for params in ({}, {"level": "intern", "commune": commune.pk, "site_kind": "msp", "page": 2}):
        with django_assert_num_queries(4):
            response = client.get(url, params)
    assert len(response.context["offers"]) == 5
    body = response.content.decode()
    assert "25 offres" in body and "Page 2 sur 2" in body and "1 place libre" in body


def test_a_page_past_the_end_shows_the_last_one_and_a_wrong_page_the_first(client, territory_a):
    for number in range(25):
        OfferFactory(territory=territory_a, title=f"Offre {number:02d}")
    for page, first in (("9", "Offre 20"), ("0", "Offre 20"), ("deux", "Offre 00"), (None, "Offre 00")):
        titles, response = _offers(client, territory_a, **({"page": page} if page else {}))
        assert min(titles) == first
        assert "25 offres" in response.content.decode()
    titles, response = _offers(client, territory_a, level="nursing", page=3)
    assert titles == set() and "0 offre" in response.content.decode()


def test_an_unknown_commune_is_refused_in_french_and_the_other_filters_apply(client, territory_a):
    OfferFactory(territory=territory_a, title="Interne")
    OfferFactory(territory=territory_a, title="Externe", level=TraineeLevel.EXTERN, specialty="")
    for commune in ("999999", "Agen"):
        titles, response = _offers(client, territory_a, commune=commune, level="extern")
        assert titles == {"Externe"}
        assert "Sélectionnez un choix valide" in response.content.decode()


def test_an_offer_shows_its_sites_and_free_places(client, territory_a, territory_b):
    offer = OfferFactory(territory=territory_a, places=1, with_site=False)
    OfferSiteFactory(territory=territory_a, offer=offer, host_site__name="Urgences du CHPC")
    url = reverse("training:offer_detail", kwargs={"territory_slug": territory_a.slug, "pk": offer.pk})
    body = client.get(url).content.decode()
    assert "Urgences du CHPC" in body and "1 place libre" in body
    PlacementFactory(territory=territory_a, offer=offer)
    assert "Complet" in client.get(url).content.decode()
    other = OfferFactory(territory=territory_b)
    wrong = reverse("training:offer_detail", kwargs={"territory_slug": territory_a.slug, "pk": other.pk})
    assert client.get(wrong).status_code == 404


def test_where_trainees_can_go_is_grouped_by_commune(client, territory_a, django_assert_max_num_queries):
    for name in ("Agen", "Astaffort", "Laplume"):
        commune = CommuneFactory(name=name)
        for _ in range(4):
            site = HostSiteFactory(territory=territory_a, commune=commune)
            HostingCapacityFactory(territory=territory_a, host_site=site, specialty="Médecine générale")
    HostSiteFactory(territory=territory_a, active=False, name="Fermé pour travaux")
    url = reverse("training:sites_by_commune", kwargs={"territory_slug": territory_a.slug})
    with django_assert_max_num_queries(5):
        response = client.get(url)
    body = response.content.decode()
    assert [group.commune.name for group in response.context["groups"]] == ["Agen", "Astaffort", "Laplume"]
    assert "Interne (Médecine générale) : 2" in body
    assert "Fermé pour travaux" not in body


def test_offers_come_twenty_a_page_and_the_next_page_keeps_the_filters(client, territory_a):
    for number in range(25):
        OfferFactory(territory=territory_a, title=f"Offre {number:02d}")
    OfferFactory(territory=territory_a, title="Externe", level=TraineeLevel.EXTERN, specialty="")
    titles, response = _offers(client, territory_a, level="intern")
    assert len(titles) == 20
    body = response.content.decode()
    assert "25 offres" in body and "Page 1 sur 2" in body
    assert "?level=intern&amp;page=2" in body
    second, _response = _offers(client, territory_a, level="intern", page=2)
    assert len(second) == 5 and "Externe" not in second


def test_each_territory_offers_only_its_own_communes_request_after_request(client, territory_a, territory_b):
    # The filter bar's fields are shared by every request's form (training.filters): the per-territory
    # choices must be the request's own.
    HostSiteFactory(territory=territory_a, commune=CommuneFactory(name="Valognes"))
    HostSiteFactory(territory=territory_b, commune=CommuneFactory(name="Agen"))
    for territory, own, other in ((territory_a, "Valognes", "Agen"), (territory_b, "Agen", "Valognes")) * 2:
        body = _offers(client, territory)[1].content.decode()
        assert f">{own}</option>" in body and f">{other}</option>" not in body
