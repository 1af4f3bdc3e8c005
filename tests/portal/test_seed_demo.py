"""The demo data: three territories from the seed plans, their actors and one account per role."""

import dataclasses
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from portal import demo
from portal.enums import ArsZone, OrganisationKind, Role, ZoningProfession
from portal.models import Commune, CommuneZoning, Membership, Organisation, ProfessionalProfile, Territory, User
from portal.validators import contrast_with_white

pytestmark = pytest.mark.django_db


def seed(**options):
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out, **options)
    return out.getvalue()


def row_counts():
    models = [Territory, Territory.communes.through, Commune, Organisation, User, Membership, EmailAddress]
    return {model.__name__: model.objects.count() for model in [*models, ProfessionalProfile]}


def test_seed_demo_twice_gives_the_same_rows_and_changes_nothing():
    seed()
    counts = row_counts()
    passwords = dict(User.objects.values_list("email", "password"))

    seed()

    assert row_counts() == counts
    assert dict(User.objects.values_list("email", "password")) == passwords
    assert counts["Territory"] == 3
    assert counts["Commune"] == 129 + 252 + 44
    # Five roles in three territories, one professional, one superuser; training's two scholarship
    # students and one tutor in the Cotentin.
    assert counts["User"] == counts["EmailAddress"] == 20
    assert counts["Membership"] == 15


def test_seed_demo_refuses_to_run_without_debug_unless_forced():
    with pytest.raises(CommandError, match="mot de passe est public"):
        call_command("seed_demo", stdout=StringIO())
    assert not Territory.objects.exists()


def test_demo_territories_have_their_communes_zoning_and_actors():
    seed()

    cotentin, deux_sevres, agen = (Territory.objects.get(slug=s) for s in ("cotentin", "deux-sevres", "agen"))
    assert (cotentin.siren, agen.siren) == ("200067205", "200096956")
    assert (cotentin.communes.count(), deux_sevres.communes.count(), agen.communes.count()) == (129, 252, 44)
    zones = {
        (code, profession): zone
        for code, profession, zone in CommuneZoning.objects.values_list("commune__insee_code", "profession", "zone")
    }
    assert zones["50129", ZoningProfession.DOCTORS] == ArsZone.ZAC
    assert zones["47015", ZoningProfession.DOCTORS] == ArsZone.ZIP
    # Bricquebec: a ZIP for doctors, not under-served for nurses (the nurses' contract does not apply).
    assert zones["50082", ZoningProfession.DOCTORS] == ArsZone.ZIP
    assert zones["50082", ZoningProfession.NURSES] == ArsZone.INTERMEDIATE
    # Every commune of the demo has its doctors' zone; the Deux-Sèvres has not imported the nurses' one.
    assert sum(1 for _c, p in zones if p == ZoningProfession.DOCTORS) == 129 + 252 + 44
    assert not any(c.startswith("79") for c, p in zones if p == ZoningProfession.NURSES)
    for territory in (cotentin, deux_sevres, agen):
        assert contrast_with_white(territory.main_colour) >= 4.5
        assert territory.contact_email.endswith(".example")
        assert len(territory.presentation) > 200
    chpc = Organisation.objects.for_territory(cotentin).get(name__contains="(CHPC)")
    assert (chpc.kind, chpc.commune.insee_code) == (OrganisationKind.HOSPITAL, "50129")
    assert Organisation.objects.for_territory(agen).filter(kind=OrganisationKind.MSP).count() == 4
    assert Organisation.objects.for_territory(deux_sevres).filter(name="Centre hospitalier de Niort").exists()


def test_demo_accounts_hold_one_role_each_with_a_verified_email():
    seed()

    coordinator = User.objects.get(email="coordination@cotentin.demo")
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.check_password(demo.DEMO_PASSWORD)
    assert EmailAddress.objects.filter(user=coordinator, email=coordinator.email, verified=True, primary=True).exists()
    assert not User.objects.get(email="elu@agen.demo").is_staff
    partner = Membership.objects.select_related("organisation").get(user__email="partenaire@deux-sevres.demo")
    assert (partner.role, partner.organisation.name) == (Role.PARTNER, "CPAM des Deux-Sèvres")
    assert partner.organisation.territory_id == partner.territory_id
    profile = ProfessionalProfile.objects.get(user__email=demo.PROFESSIONAL_EMAIL)
    profile.full_clean()  # the RPPS passes the Luhn check
    assert not profile.user.is_staff and not profile.user.memberships.exists()
    assert User.objects.get(email=demo.SUPERUSER_EMAIL).is_superuser


def test_seed_demo_prints_the_demo_logins():
    out = seed()

    assert f"mot de passe commun : {demo.DEMO_PASSWORD}" in out
    assert "coordination@cotentin.demo" in out
    assert "partenaire@agen.demo" in out and "CPAM de Lot-et-Garonne" in out
    assert demo.SUPERUSER_EMAIL in out


def test_demo_coordinator_signs_in_with_the_demo_password_and_reaches_the_admin():
    seed()
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": "coordination@cotentin.demo", "password": demo.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    # Staff must enrol a second factor before the admin lets them in...
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    # ...and once they have, the admin opens.
    coordinator = User.objects.get(email="coordination@cotentin.demo")
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "test"})
    assert client.get("/admin/").status_code == 200


def build_for_test(*, territories):
    """A demo builder as an axis app would declare it (see portal/demo.py)."""
    territories.account(
        email="interne@agen.demo",
        first_name="Léa",
        last_name="Test",
        role_label="Interne (bâti par une app)",
        territory=territories["agen"],
        role=Role.COUNCIL_MEMBER,
    )


def build_with_a_positional_parameter(context):
    context.account(email="sage-femme@cotentin.demo", first_name="Inès", last_name="Test", role_label="Sage-femme")


def test_apps_declaring_demo_data_add_their_own_demo_rows(monkeypatch):
    training, prevention = apps.get_app_config("training"), apps.get_app_config("prevention")
    monkeypatch.setattr(
        training, "hooks", dataclasses.replace(training.hooks, demo_data="tests.portal.test_seed_demo.build_for_test")
    )
    monkeypatch.setattr(
        prevention,
        "hooks",
        dataclasses.replace(
            prevention.hooks, demo_data="tests.portal.test_seed_demo.build_with_a_positional_parameter"
        ),
    )

    out = seed()
    seed()

    assert "interne@agen.demo" in out and "Interne (bâti par une app)" in out
    assert "sage-femme@cotentin.demo" in out
    assert Membership.objects.filter(user__email="interne@agen.demo", territory__slug="agen").count() == 1
    assert User.objects.filter(email__in=["interne@agen.demo", "sage-femme@cotentin.demo"]).count() == 2
