"""A student finds an offer, registers their placement and says what they need; supervisors and
host-site managers see who comes to their site; nobody sees another student's placement."""

import datetime

import pytest
from django.urls import reverse

from portal.enums import Role
from portal.models import Membership
from tests.portal.factories import UserFactory
from tests.training.factories import (
    SEMESTER,
    HostSiteFactory,
    OfferFactory,
    OfferSiteFactory,
    PlacementFactory,
    SupervisorFactory,
)
from training.enums import PlacementStatus
from training.models import Placement

pytestmark = pytest.mark.django_db


def _register_url(offer):
    return reverse("training:placement_register", kwargs={"territory_slug": offer.territory.slug, "pk": offer.pk})


def _form(**changes):
    data = {
        "start_date": "2026-11-02",
        "end_date": "2027-04-30",
        "needs_housing": "on",
        "needs_welcome": "on",
        "note": "J'arrive en train.",
    }
    data.update(changes)
    return data


def test_a_student_registers_a_placement_with_their_needs(territory_a, login):
    offer = OfferFactory(territory=territory_a)
    student = UserFactory(first_name="Emma", last_name="Delmas")

    response = login(student).post(_register_url(offer), _form())

    placement = Placement.objects.get()
    assert response.status_code == 302
    # Housing needed: the next step asks for a room.
    assert response["Location"] == reverse(
        "training:housing_request", kwargs={"territory_slug": territory_a.slug, "pk": placement.pk}
    )
    assert (placement.student, placement.student_name, placement.semester) == (student, "Emma Delmas", SEMESTER.code)
    assert (placement.needs_housing, placement.needs_transport, placement.needs_welcome) == (True, False, True)
    assert placement.status == PlacementStatus.DECLARED
    assert Membership.objects.filter(user=student, territory=territory_a, role=Role.STUDENT).exists()


def test_a_placement_outside_the_semester_is_refused_in_french_and_nothing_is_saved(territory_a, login):
    offer = OfferFactory(territory=territory_a)
    client = login(UserFactory())

    response = client.post(_register_url(offer), _form(start_date="2026-10-15", note="Texte gardé"))

    assert response.status_code == 200
    assert not Placement.objects.exists()
    body = response.content.decode()
    assert "Cette date doit tomber dans le semestre choisi, du 01/11/2026 au 30/04/2027." in body
    # The error is tied to its field, and what was typed is kept.
    assert 'aria-describedby="id_start_date_error' in body or "id_start_date_error" in body
    assert "Texte gardé" in body


def test_the_service_refuses_dates_outside_the_semester_too(territory_a):
    from django.core.exceptions import ValidationError

    from training.services.placements import placement_register

    offer = OfferFactory(territory=territory_a)
    with pytest.raises(ValidationError) as error:
        placement_register(
            actor=UserFactory(), offer=offer, start_date=datetime.date(2027, 5, 2), end_date=datetime.date(2027, 6, 1)
        )
    assert set(error.value.message_dict) == {"start_date", "end_date"}
    assert not Placement.objects.exists()


def test_a_second_submission_finds_the_first_placement(territory_a, login):
    offer = OfferFactory(territory=territory_a)
    client = login(UserFactory())
    client.post(_register_url(offer), _form())
    client.post(_register_url(offer), _form())
    assert Placement.objects.count() == 1


def test_a_full_offer_is_refused(territory_a, login):
    offer = OfferFactory(territory=territory_a, places=1)
    PlacementFactory(territory=territory_a, offer=offer)

    response = login(UserFactory()).post(_register_url(offer), _form())

    assert response.status_code == 200
    assert "Toutes les places de cette offre sont prises." in response.content.decode()
    assert Placement.objects.count() == 1


def test_a_visitor_is_asked_to_sign_in_and_cannot_post(territory_a, client):
    offer = OfferFactory(territory=territory_a)
    page = client.get(_register_url(offer))
    assert page.status_code == 200
    assert "connectez-vous ou créez votre compte" in page.content.decode()
    assert client.post(_register_url(offer), _form()).status_code == 302
    assert not Placement.objects.exists()


def test_an_unpublished_or_other_territory_offer_answers_404(territory_a, territory_b, login):
    client = login(UserFactory())
    hidden = OfferFactory(territory=territory_a, published=False)
    other = OfferFactory(territory=territory_b)
    assert client.get(_register_url(hidden)).status_code == 404
    url = reverse("training:placement_register", kwargs={"territory_slug": territory_a.slug, "pk": other.pk})
    assert client.post(url, _form()).status_code == 404
    assert not Placement.objects.exists()


def test_a_student_sees_only_their_own_placements(territory_a, login):
    mine = PlacementFactory(territory=territory_a, offer__title="Mon stage aux urgences")
    theirs = PlacementFactory(territory=territory_a, offer__title="Le stage de quelqu'un d'autre")
    client = login(mine.student)

    page = client.get(reverse("training:my_placements", kwargs={"territory_slug": territory_a.slug}))

    body = page.content.decode()
    assert "Mon stage aux urgences" in body
    assert "Le stage de quelqu'un d'autre" not in body
    other_housing = reverse("training:housing_request", kwargs={"territory_slug": territory_a.slug, "pk": theirs.pk})
    assert client.get(other_housing).status_code == 404


def test_without_placements_my_placements_leads_to_the_offers(territory_a, login):
    response = login(UserFactory()).get(reverse("training:my_placements", kwargs={"territory_slug": territory_a.slug}))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:offer_list", kwargs={"territory_slug": territory_a.slug})


def test_supervisors_and_site_managers_see_the_placements_at_their_site(territory_a, login):
    site = HostSiteFactory(territory=territory_a)
    supervisor = SupervisorFactory(territory=territory_a, host_site=site, user=UserFactory())
    manager = UserFactory()
    site.managers.add(manager)
    joint = OfferFactory(territory=territory_a, with_site=False)
    OfferSiteFactory(territory=territory_a, offer=joint, host_site=site)
    OfferSiteFactory(territory=territory_a, offer=joint)  # the other half of a joint programme
    coming = PlacementFactory(territory=territory_a, offer=joint, student_name="Julien Osmont")
    PlacementFactory(territory=territory_a, student_name="Ailleurs Quelqu'un")
    url = reverse("training:site_placements", kwargs={"territory_slug": territory_a.slug})

    for user in (supervisor.user, manager):
        body = login(user).get(url).content.decode()
        assert coming.student_name in body
        assert "Ailleurs Quelqu&#x27;un" not in body and "Ailleurs Quelqu'un" not in body
    assert login(UserFactory()).get(url).status_code == 404


def test_offers_and_placement_pages_answer_in_bounded_queries(territory_a, login, django_assert_max_num_queries):
    student = UserFactory()
    for _ in range(12):
        offer = OfferFactory(territory=territory_a, with_site=False)
        OfferSiteFactory.create_batch(2, territory=territory_a, offer=offer)
        PlacementFactory(territory=territory_a, offer=offer, student=student)
    client = login(student)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("training:my_placements", kwargs={"territory_slug": territory_a.slug}))
    assert page.status_code == 200
    assert page.content.decode().count('class="card"') == 12


def test_the_site_page_answers_in_bounded_queries(territory_a, login, django_assert_max_num_queries):
    site = HostSiteFactory(territory=territory_a)
    manager = UserFactory()
    site.managers.add(manager)
    for _ in range(15):
        offer = OfferFactory(territory=territory_a, with_site=False)
        OfferSiteFactory(territory=territory_a, offer=offer, host_site=site)
        OfferSiteFactory(territory=territory_a, offer=offer)
        PlacementFactory(territory=territory_a, offer=offer)
    client = login(manager)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("training:site_placements", kwargs={"territory_slug": territory_a.slug}))
    assert len(response.context["placements"]) == 15


def test_the_coordinators_hear_who_arrives_when_where_needing_what(territory_a, coordinator_a, login):
    from portal.notifications.models import Notification

    offer = OfferFactory(territory=territory_a, title="Urgences", with_site=False)
    OfferSiteFactory(territory=territory_a, offer=offer, host_site__name="Urgences du CHPC")
    student = UserFactory(first_name="Manon", last_name="Lefèvre")

    login(student).post(_register_url(offer), _form(needs_transport="on"))

    notification = Notification.objects.get(kind="training.placement_declared")
    assert notification.recipient == coordinator_a
    assert notification.subject.endswith("Stagiaire annoncé : Manon Lefèvre, arrivée le 02/11/2026")
    assert "Urgences du CHPC" in notification.body
    assert "Besoins : un logement, une solution de transport, être accueilli." in notification.body
    assert notification.url == reverse("admin:training_placement_change", args=[Placement.objects.get().pk])


def test_a_student_lands_on_their_placements_after_signing_in(territory_a, login):
    placement = PlacementFactory(territory=territory_a)
    Membership.objects.create(user=placement.student, territory=territory_a, role=Role.STUDENT)
    client = login(placement.student)
    response = client.get("/accueil/")
    assert response["Location"] == f"/{territory_a.slug}/formation/mes-stages/"
    assert client.get(response["Location"]).status_code == 200
