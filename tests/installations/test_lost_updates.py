"""Two coordinators on the same case (issue 9, item 4): each posts the form their page showed. A save
over a newer version is refused with a message that says who changed what and when, keeps what was
typed, and carries the new version so that saving again is deliberate; forms that write different
things (a note, the aids) never undo each other; removals are in the timeline."""

from django.urls import reverse
from django.utils import timezone

from installations.enums import EventKind, NeedKind, NeedState
from installations.models import CaseEvent, Need
from portal.enums import Role
from tests.form_data import form_data
from tests.installations.admin_helpers import change_url
from tests.installations.factories import AidFactory, CaseFactory, NeedFactory, OpportunityFactory


def action(case, name):
    return reverse("admin:installations_case_action", args=[case.pk, name])


def two_coordinators(territory, staff_of, login):
    alice = staff_of(territory, Role.COORDINATOR)
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    bruno = staff_of(territory, Role.MANAGER)
    return alice, login(alice), login(bruno)


def test_a_note_from_a_page_opened_earlier_keeps_the_aids_linked_since(territory_a, staff_of, login):
    alice, a, b = two_coordinators(territory_a, staff_of, login)
    case = CaseFactory(territory=territory_a, supported=True)
    aids = AidFactory.create_batch(2, territory=territory_a)
    page_a, page_b = a.get(change_url(case)).content.decode(), b.get(change_url(case)).content.decode()

    links = form_data(page_a, form_id="links") | {"links-aids": [str(aid.pk) for aid in aids]}
    assert a.post(action(case, "links"), links).status_code == 302
    note = form_data(page_b, form_id="note") | {"note-body": "Rappeler la mairie de Valognes."}
    assert b.post(action(case, "note"), note).status_code == 302

    assert set(case.aids.all()) == set(aids)
    assert case.notes.get().body == "Rappeler la mairie de Valognes."


def test_a_stale_aids_form_is_refused_saying_who_changed_what_and_saving_again_is_deliberate(
    territory_a, staff_of, login
):
    alice, a, b = two_coordinators(territory_a, staff_of, login)
    case = CaseFactory(territory=territory_a, supported=True)
    aids = [
        AidFactory(territory=territory_a, name="Prime d'installation"),
        AidFactory(territory=territory_a, name="Aide au logement des internes"),
    ]
    opportunity = OpportunityFactory(territory=territory_a, published=True, title="Cabinet à Valognes")
    page_a, page_b = a.get(change_url(case)).content.decode(), b.get(change_url(case)).content.decode()

    a.post(action(case, "links"), form_data(page_a, form_id="links") | {"links-aids": [str(x.pk) for x in aids]})
    # Bruno, from the page he opened before, ticks the opportunity only (his page showed no aid).
    stale = form_data(page_b, form_id="links") | {"links-opportunities": [str(opportunity.pk)]}
    refused = b.post(action(case, "links"), stale)

    assert refused.status_code == 400
    html = refused.content.decode()
    changed_at = timezone.localtime(CaseEvent.objects.filter(case=case).latest("created_at").created_at)
    assert (
        f"Ce dossier a été modifié par Alice Martin à {changed_at:%H} h {changed_at:%M} depuis que vous l&#x27;avez "
        "ouvert." in html
    )
    assert "Aides associées : désormais « Aide au logement des internes, Prime d&#x27;installation »" in html
    assert set(case.aids.all()) == set(aids) and not case.opportunities.exists()
    # What he typed is still ticked, Alice's aids (which he had not touched) are ticked too, and the
    # form carries the current version: saving again keeps both.
    again = form_data(html, form_id="links")
    assert again["links-opportunities"] == str(opportunity.pk)
    assert sorted(again["links-aids"]) == sorted(str(aid.pk) for aid in aids)
    assert b.post(action(case, "links"), again).status_code == 302
    assert list(case.opportunities.all()) == [opportunity] and set(case.aids.all()) == set(aids)

    # Unticking is a removal, and the timeline says so.
    page = b.get(change_url(case)).content.decode()
    b.post(action(case, "links"), form_data(page, form_id="links") | {"links-aids": [str(aids[0].pk)]})
    removed = CaseEvent.objects.filter(case=case, kind=EventKind.AID_UNLINKED).values_list("summary", flat=True)
    assert list(removed) == [f"Aide retirée : {aids[1].name}"]


def test_a_stale_need_form_cannot_put_a_resolved_need_back_to_open(territory_a, staff_of, login):
    alice, a, b = two_coordinators(territory_a, staff_of, login)
    case = CaseFactory(territory=territory_a, supported=True)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.HOUSING_LONG)
    form_id = f"need-{need.pk}-form"
    page_a, page_b = a.get(change_url(case)).content.decode(), b.get(change_url(case)).content.decode()

    resolved = form_data(page_a, form_id=form_id) | {f"need-{need.pk}-state": NeedState.DONE}
    assert a.post(action(case, "need"), resolved).status_code == 302
    # Bruno only adds details from his old page, whose state still said "À traiter".
    stale = form_data(page_b, form_id=form_id) | {f"need-{need.pk}-details": "T3 à Valognes, loyer < 700 €"}
    assert stale[f"need-{need.pk}-state"] == NeedState.OPEN
    refused = b.post(action(case, "need"), stale)

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Ce besoin (« Logement durable ») a été modifié par Alice Martin à" in html
    assert "État : désormais « Résolu »" in html
    assert "T3 à Valognes, loyer &lt; 700 €" in html
    assert Need.objects.get(pk=need.pk).state == NeedState.DONE
    assert Need.objects.get(pk=need.pk).details == "Précisions sur le besoin."
    # Shown again with Alice's state (he had not touched it) and his details: saving keeps both.
    again = form_data(html, form_id=form_id)
    assert again[f"need-{need.pk}-state"] == NeedState.DONE
    assert b.post(action(case, "need"), again).status_code == 302
    need.refresh_from_db()
    assert (need.state, need.details) == (NeedState.DONE, "T3 à Valognes, loyer < 700 €")


def test_two_needs_saved_from_the_same_old_page_do_not_refuse_each_other(territory_a, staff_of, login):
    alice, a, b = two_coordinators(territory_a, staff_of, login)
    case = CaseFactory(territory=territory_a, supported=True)
    housing = NeedFactory(territory=territory_a, case=case, kind=NeedKind.HOUSING_LONG)
    premises = NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    page_a, page_b = a.get(change_url(case)).content.decode(), b.get(change_url(case)).content.decode()
    a.post(
        action(case, "need"),
        form_data(page_a, form_id=f"need-{housing.pk}-form") | {f"need-{housing.pk}-state": NeedState.DONE},
    )
    response = b.post(
        action(case, "need"),
        form_data(page_b, form_id=f"need-{premises.pk}-form") | {f"need-{premises.pk}-state": NeedState.IN_PROGRESS},
    )
    assert response.status_code == 302
    assert Need.objects.get(pk=housing.pk).state == NeedState.DONE
    assert Need.objects.get(pk=premises.pk).state == NeedState.IN_PROGRESS


def test_a_forged_version_is_refused(territory_a, client_a):
    case = CaseFactory(territory=territory_a)
    need = NeedFactory(territory=territory_a, case=case, kind=NeedKind.PREMISES)
    page = client_a.get(change_url(case)).content.decode()
    data = form_data(page, form_id=f"need-{need.pk}-form") | {
        f"need-{need.pk}-state": NeedState.DONE,
        f"need-{need.pk}-version": "forged",
    }
    assert client_a.post(action(case, "need"), data).status_code == 400
    assert Need.objects.get(pk=need.pk).state == NeedState.OPEN
