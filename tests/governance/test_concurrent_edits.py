"""Two coordinators editing the same council record in the admin (issue 9, item 4): the second save,
from a page opened before the first, is refused with who changed what; nothing is overwritten."""

from django.urls import reverse
from django.utils import timezone

from governance.models import Body, Meeting
from portal.enums import Role
from tests.form_data import form_data
from tests.governance.factories import MeetingFactory


def two_coordinators(territory, staff_of, login):
    alice = staff_of(territory, Role.COORDINATOR)
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    return login(alice), login(staff_of(territory, Role.MANAGER))


def test_a_stale_meeting_form_is_refused_and_keeps_what_was_typed(body_a, staff_of, login):
    a, b = two_coordinators(body_a.territory, staff_of, login)
    meeting = MeetingFactory(territory=body_a.territory, body=body_a, place="Salle du conseil")
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    page_a, page_b = a.get(url).content.decode(), b.get(url).content.decode()

    assert a.post(url, form_data(page_a, form_id="meeting_form") | {"place": "Mairie de Valognes"}).status_code == 302
    refused = b.post(url, form_data(page_b, form_id="meeting_form") | {"title": "Séance plénière d'automne"})

    assert refused.status_code == 200
    html = refused.content.decode()
    now = timezone.localtime()
    assert f"a été modifié par Alice Martin à {now:%H} h" in html
    assert "Lieu : désormais « Mairie de Valognes »" in html
    assert 'value="Séance plénière d&#x27;automne"' in html
    meeting.refresh_from_db()
    assert meeting.place == "Mairie de Valognes" and meeting.title != "Séance plénière d'automne"
    # Shown again with his title and her place (he had not touched it): saving again keeps both.
    assert b.post(url, form_data(html, form_id="meeting_form")).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Séance plénière d'automne" and meeting.place == "Mairie de Valognes"


def test_a_stale_council_body_form_is_refused(body_a, staff_of, login):
    a, b = two_coordinators(body_a.territory, staff_of, login)
    url = reverse("admin:governance_body_change", args=[body_a.pk])
    page_a, page_b = a.get(url).content.decode(), b.get(url).content.decode()
    assert a.post(url, form_data(page_a, form_id="body_form") | {"name": "Conseil local de santé"}).status_code == 302
    refused = b.post(url, form_data(page_b, form_id="body_form") | {"name": "Conseil de santé du Cotentin"})
    assert refused.status_code == 200 and "a été modifié par Alice Martin" in refused.content.decode()
    assert Body.objects.get(pk=body_a.pk).name == "Conseil local de santé"


def test_two_saves_of_an_unchanged_meeting_both_pass(body_a, staff_of, login):
    a, _b = two_coordinators(body_a.territory, staff_of, login)
    meeting = MeetingFactory(territory=body_a.territory, body=body_a)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    for place in ("Salle A", "Salle B"):
        page = a.get(url).content.decode()
        assert a.post(url, form_data(page, form_id="meeting_form") | {"place": place}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).place == "Salle B"


def test_a_new_start_time_survives_the_second_persons_save_again(body_a, staff_of, login):
    a, b = two_coordinators(body_a.territory, staff_of, login)
    meeting = MeetingFactory(territory=body_a.territory, body=body_a)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    page_a, page_b = a.get(url).content.decode(), b.get(url).content.decode()
    assert a.post(url, form_data(page_a, form_id="meeting_form") | {"starts_at_1": "09:30:00"}).status_code == 302
    refused = b.post(url, form_data(page_b, form_id="meeting_form") | {"place": "Salle B"})
    assert refused.status_code == 200 and "Début : désormais" in refused.content.decode()
    assert b.post(url, form_data(refused.content.decode(), form_id="meeting_form")).status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "09:30" and meeting.place == "Salle B"
