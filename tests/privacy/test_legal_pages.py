"""Each territory's legal pages (defaults from its record, what its manager writes), the national
ones, the footer of every page, and the short notice on forms that collect personal data."""

import pytest
from django.urls import reverse

from portal.enums import Role
from portal.privacy.enums import AccessibilityStatus
from portal.privacy.models import LegalNotice
from tests.privacy.factories import LegalNoticeFactory

PAGES = ("legal_notice", "privacy", "accessibility")


def _url(name, territory=None):
    if territory is None:
        return reverse(f"privacy:national_{name}")
    return reverse(f"privacy:{name}", kwargs={"territory_slug": territory.slug})


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_territory_without_a_notice_gets_pages_from_its_record(client, territory_a, name):
    response = client.get(_url(name, territory_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert territory_a.name in html
    if name == "legal_notice":
        assert f"Le président ou la présidente {territory_a.of_name}" in html  # capitalised on its own line
    if name == "privacy":
        assert territory_a.contact_email in html  # the DPO's default address
        assert "CNIL" in html and "3 place de Fontenoy" in html
    if name == "accessibility":
        assert "non conforme" in html and "Défenseur des droits" in html


@pytest.mark.django_db
def test_the_data_page_states_the_retention_durations_of_the_settings(client, territory_a, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS, "privacy.access_log": 180}
    html = client.get(_url("privacy", territory_a)).content.decode()
    row = html.split('id="retention-privacyaccess_log"')[1].split("</tr>")[0]
    assert "6 mois" in row
    for key in settings.PERSONAL_DATA_RETENTION_DAYS:
        assert f'id="retention-{key.replace(".", "")}"' in html
    assert "2 ans" in html.split('id="retention-installationshousehold"')[1].split("</tr>")[0]
    assert "30 minutes d&#x27;inactivité" in html.split('id="retention-sessions"')[1].split("</tr>")[0]
    # Every axis' kinds are listed from their declarations, with the setting's duration.
    assert "5 ans" in html.split('id="retention-governanceformer_members"')[1].split("</tr>")[0]
    assert "Ambassadeurs santé" in html.split('id="retention-preventionambassadors"')[1].split("</tr>")[0]
    assert "justificatifs" in html.split('id="retention-trainingrefused_applications"')[1].split("</tr>")[0]


@pytest.mark.django_db
def test_the_data_page_names_the_territorys_partners_among_the_recipients(client, territory_a, territory_b):
    from tests.portal.factories import MembershipFactory, OrganisationFactory, UserFactory

    for territory, name in ((territory_a, "CPAM de la Manche"), (territory_b, "CPAM des Deux-Sèvres")):
        organisation = OrganisationFactory(territory=territory, name=name, kind="cpam")
        MembershipFactory(territory=territory, user=UserFactory(), role=Role.PARTNER, organisation=organisation)
    html = client.get(_url("privacy", territory_a)).content.decode()
    assert "CPAM de la Manche" in html and "Deux-Sèvres" not in html


@pytest.mark.django_db
def test_what_the_manager_writes_replaces_the_defaults(client, territory_a):
    LegalNoticeFactory(
        territory=territory_a,
        publication_director="M. Paul Durand, président",
        dpo_email="dpo@alpha.fr",
        accessibility_status=AccessibilityStatus.PARTIAL,
        accessibility_non_accessible="Le plan interactif des cabinets",
        privacy_complement="Les données du fichier des partenaires sont hébergées par le Département.",
    )
    assert "M. Paul Durand, président" in client.get(_url("legal_notice", territory_a)).content.decode()
    privacy = client.get(_url("privacy", territory_a)).content.decode()
    assert "dpo@alpha.fr" in privacy and "hébergées par le Département" in privacy
    accessibility = client.get(_url("accessibility", territory_a)).content.decode()
    assert "partiellement conforme" in accessibility and "Le plan interactif des cabinets" in accessibility


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_national_pages_answer_outside_any_territory(client, territory_a, name):
    response = client.get(_url(name))
    assert response.status_code == 200
    if name == "privacy":
        # The controller is each territory: the national page links theirs.
        assert _url("privacy", territory_a) in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_territory_legal_page_is_404(client):
    assert client.get("/inconnu/mentions-legales/").status_code == 404


def _footer(html):
    return html.split('aria-label="Informations légales"')[-1]


@pytest.mark.django_db
def test_every_footer_links_the_legal_pages(client, territory_a, coordinator_a, login, django_user_model):
    # A territory's public page links its own pages, with its accessibility status.
    footer = _footer(client.get(reverse("portal:territory_home", args=[territory_a.slug])).content.decode())
    for name in PAGES:
        assert _url(name, territory_a) in footer
    assert "Accessibilité : non conforme" in footer
    # Pages outside a territory (landing, the personal space, the admin) link the national ones.
    footer = _footer(client.get(reverse("portal:landing")).content.decode())
    assert all(_url(name) in footer for name in PAGES)
    person = django_user_model.objects.create_user(email="personne@exemple.fr", password="x" * 12)
    footer = _footer(login(person).get(reverse("portal:personal_space")).content.decode())
    assert all(_url(name) in footer for name in PAGES)
    admin = login(coordinator_a)
    for url in (reverse("admin:index"), reverse("admin:installations_case_changelist")):
        footer = _footer(admin.get(url).content.decode())
        assert all(_url(name) in footer for name in PAGES), url


@pytest.mark.django_db
def test_the_footer_status_follows_the_managers_change_through_the_admin(client, territory_a, staff_of, login):
    home = reverse("portal:territory_home", args=[territory_a.slug])
    assert "Accessibilité : non conforme" in _footer(client.get(home).content.decode())  # now cached
    manager = login(staff_of(territory_a, Role.MANAGER))
    form = manager.get(reverse("admin:privacy_legalnotice_add")).context["adminform"].form
    assert form.initial["territory"] == str(territory_a.pk)  # a one-territory manager starts on theirs
    response = manager.post(
        reverse("admin:privacy_legalnotice_add"),
        {"territory": territory_a.pk, "accessibility_status": AccessibilityStatus.PARTIAL},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert LegalNotice.objects.get(territory=territory_a).accessibility_status == AccessibilityStatus.PARTIAL
    assert "Accessibilité : partiellement conforme" in _footer(client.get(home).content.decode())


@pytest.mark.django_db
def test_coordinators_neither_see_nor_edit_the_legal_pages_in_the_admin(territory_a, coordinator_a, login):
    notice = LegalNoticeFactory(territory=territory_a)
    client = login(coordinator_a)
    assert client.get(reverse("admin:privacy_legalnotice_changelist")).status_code == 403
    assert client.get(reverse("admin:privacy_legalnotice_change", args=[notice.pk])).status_code in (403, 404)
    assert client.post(reverse("admin:privacy_legalnotice_add"), {"territory": territory_a.pk}).status_code == 403


@pytest.mark.django_db
def test_a_manager_cannot_write_another_territorys_notice(territory_a, territory_b, staff_of, login):
    manager = login(staff_of(territory_a, Role.MANAGER))
    response = manager.post(reverse("admin:privacy_legalnotice_add"), {"territory": territory_b.pk})
    assert response.status_code == 200  # the form refuses the choice, in French, next to the field
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not LegalNotice.objects.exists()


@pytest.mark.django_db
def test_forms_that_collect_personal_data_show_a_notice_linking_the_data_page(client, territory_a):
    signup = client.get(reverse("account_signup")).content.decode()
    assert 'class="privacy-notice"' in signup and _url("privacy") in signup
    request = client.get(reverse("installations:request_step", args=[territory_a.slug, "vous"]))
    html = request.content.decode()
    assert 'class="privacy-notice"' in html and _url("privacy", territory_a) in html
    from tests.events.factories import EventFactory

    event = EventFactory(territory=territory_a, open_to_all=True)
    html = client.get(reverse("events:detail", args=[territory_a.slug, event.pk])).content.decode()
    assert 'class="privacy-notice"' in html and _url("privacy", territory_a) in html
