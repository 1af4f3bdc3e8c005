"""Demo data: three real territories drawn from the seed plans, their communes and actors, and one
demo account per role. Used by `python manage.py seed_demo` (and `make run`).

Everything here is idempotent: rows are looked up by their natural key (territory slug, e-mail,
organisation name within its territory…) and only written when a value differs, so running the
seed twice changes nothing.

Axis apps add their own demo data without portal importing them. An app declares, on its
AppConfig's hooks (portal/hooks.py), the dotted path of a builder:

    class InstallationsConfig(AppConfig):
        name = "installations"
        hooks = AppHooks(demo_data="installations.demo.build", ...)

and writes `build(*, territories: DemoTerritories) -> None`. `seed_demo` calls every declared
builder, in INSTALLED_APPS order, after the portal's data exists and inside the same transaction.
`territories` is a dict of the demo territories by slug (`territories["cotentin"]`,
`territories["deux-sevres"]`, `territories["agen"]`) that also offers:

- `territories.organisation(territory, name)`: an organisation created by the portal seed
  (names in TERRITORIES below, e.g. "CPAM de la Manche");
- `territories.account(email=…, first_name=…, last_name=…, role_label=…, territory=…, role=…)`: a
  demo account with the shared demo password and a verified e-mail, listed in the table that
  seed_demo prints at the end.

A builder must be idempotent too (get_or_create / update_or_create on natural keys).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.module_loading import import_string

from portal.enums import (
    OrganisationKind,
    PracticeMode,
    Profession,
    Role,
    TerritoryArticle,
    TerritoryKind,
    ZoningProfession,
)
from portal.hooks import declared_hooks
from portal.importing import Refusals
from portal.management.commands.import_ars_zoning import ars_zoning_import
from portal.management.commands.import_communes import communes_import
from portal.models import Commune, Membership, Organisation, ProfessionalProfile, Territory, User

# Shared by every demo account and printed by seed_demo: demo only, never on a real deployment.
DEMO_PASSWORD = "demo-guichet-2026"  # noqa: S105 - public on purpose, demo accounts only
_DATA = Path(__file__).resolve().parent / "data"
# One file per profession's zoning (illustrative values). The Deux-Sèvres has not imported the nurses'
# zoning and no territory the others': the portal says so rather than guess.
DEMO_ZONINGS = {
    ZoningProfession.DOCTORS: _DATA / "ars_zoning_demo.csv",
    ZoningProfession.NURSES: _DATA / "ars_zoning_demo_nurses.csv",
}


@dataclass(frozen=True)
class TerritorySpec:
    slug: str
    name: str
    article: str
    kind: str
    region: str
    siren: str
    contact_email: str
    contact_phone: str
    main_colour: str
    presentation: str
    # How its communes are imported from the shipped extract.
    epci: str = ""
    departement: str = ""
    # (name, kind, INSEE code of its commune or "" when outside the territory's communes)
    organisations: tuple[tuple[str, str, str], ...] = ()
    # Organisation that the territory's partner referent represents.
    partner_organisation: str = ""


# Contact details are fictitious: `.example` domains and the ARCEP numbers reserved for fiction.
TERRITORIES = (
    TerritorySpec(
        slug="cotentin",
        name="Communauté d'agglomération du Cotentin",
        article=TerritoryArticle.LA,
        kind=TerritoryKind.COMMUNAUTE_AGGLOMERATION,
        region="Normandie",
        siren="200067205",
        contact_email="guichet-sante@cotentin.example",
        contact_phone="02 61 91 50 10",
        main_colour="#005a8c",
        presentation=(
            "La Communauté d'agglomération du Cotentin a pris la compétence santé dès 2017, quelques mois après "
            "sa création, pour enrayer la baisse de l'offre de soins sur la presqu'île. Son plan d'action tient en "
            "quatre axes : une gouvernance partagée avec les professionnels au sein du Conseil de santé du Cotentin "
            "et de son Collège des professionnels, l'installation des nouveaux praticiens et l'accueil des internes, "
            "les outils de coopération et de télésanté, et la prévention. Le guichet santé accompagne chaque "
            "professionnel dans ses démarches : local, logement, emploi du conjoint, aides à l'installation."
        ),
        epci="200067205",
        organisations=(
            ("Centre hospitalier public du Cotentin (CHPC)", OrganisationKind.HOSPITAL, "50129"),
            ("Polyclinique du Cotentin", OrganisationKind.CLINIC, "50129"),
            ("GCS Partenaires Santé du Cotentin", OrganisationKind.GCS, "50129"),
            ("ARS Normandie", OrganisationKind.ARS, ""),
            ("CPAM de la Manche", OrganisationKind.CPAM, ""),
            ("URML Normandie", OrganisationKind.URPS, ""),
            ("Conseil départemental de l'Ordre des médecins de la Manche", OrganisationKind.ORDRE, ""),
            ("Conseil départemental de la Manche", OrganisationKind.DEPARTEMENT, ""),
            ("Latitude Manche, agence d'attractivité", OrganisationKind.OTHER, ""),
            ("UFR Santé de l'Université de Caen Normandie", OrganisationKind.FACULTY, ""),
        ),
        partner_organisation="CPAM de la Manche",
    ),
    TerritorySpec(
        slug="deux-sevres",
        name="Département des Deux-Sèvres",
        article=TerritoryArticle.LE,
        kind=TerritoryKind.DEPARTEMENT,
        region="Nouvelle-Aquitaine",
        siren="",
        contact_email="guichet-sante@deux-sevres.example",
        contact_phone="05 36 49 79 10",
        main_colour="#2e6b30",
        presentation=(
            "Avec l'ARS, la CPAM et le Conseil départemental de l'Ordre des médecins, le Département porte le "
            "Plan santé 79 pour attirer et garder des professionnels de santé en Deux-Sèvres. Le plan mise sur la "
            "qualité de vie du territoire et sur un accompagnement global : guichet unique d'information, cellule "
            "d'accompagnement individualisé, aide à l'emploi du conjoint et à la garde des enfants, logement des "
            "internes. Il soutient aussi l'exercice regroupé en MSP et en CPTS, la formation des futurs médecins "
            "et un pilotage partagé avec les intercommunalités."
        ),
        departement="79",
        organisations=(
            ("Centre hospitalier Nord Deux-Sèvres", OrganisationKind.HOSPITAL, "79116"),
            ("Centre hospitalier de Niort", OrganisationKind.HOSPITAL, "79191"),
            ("ARS Nouvelle-Aquitaine, délégation départementale des Deux-Sèvres", OrganisationKind.ARS, "79191"),
            ("CPAM des Deux-Sèvres", OrganisationKind.CPAM, "79191"),
            ("Conseil départemental de l'Ordre des médecins des Deux-Sèvres", OrganisationKind.ORDRE, "79191"),
            ("URPS Médecins libéraux Nouvelle-Aquitaine", OrganisationKind.URPS, ""),
            ("Faculté de médecine et de pharmacie de Poitiers", OrganisationKind.FACULTY, ""),
            (
                "Collège des généralistes enseignants et maîtres de stage Poitou-Charentes (COGEM-PC)",
                OrganisationKind.ASSOCIATION,
                "",
            ),
        ),
        partner_organisation="CPAM des Deux-Sèvres",
    ),
    TerritorySpec(
        slug="agen",
        name="Agglomération d'Agen",
        article=TerritoryArticle.L,
        kind=TerritoryKind.COMMUNAUTE_AGGLOMERATION,
        region="Nouvelle-Aquitaine",
        siren="200096956",
        contact_email="guichet-sante@agen.example",
        contact_phone="05 36 49 47 10",
        main_colour="#6b2c5b",
        presentation=(
            "L'Agglomération d'Agen réunit 44 communes et plus de 100 000 habitants. Propriétaire de trois maisons "
            "de santé pluriprofessionnelles, à Astaffort, Laplume et Agen Nord, elle anime un Contrat local de "
            "santé avec l'ARS et construit avec ses partenaires un guichet unique pour les professionnels de santé, "
            "joignable par une adresse e-mail et un numéro dédiés. Accueil des internes à chaque semestre, projet "
            "de Maison des internes, Club Santé, Mercredis de la santé et Université de la santé : l'agglomération "
            "mise sur l'accueil des soignants et sur la prévention."
        ),
        epci="200096956",
        organisations=(
            ("Centre hospitalier Agen-Nérac", OrganisationKind.HOSPITAL, "47001"),
            ("Clinique Saint-Hilaire", OrganisationKind.CLINIC, "47001"),
            ("Centre hospitalier départemental La Candélie", OrganisationKind.HOSPITAL, "47209"),
            ("Maison de santé pluriprofessionnelle d'Astaffort", OrganisationKind.MSP, "47015"),
            ("Maison de santé pluriprofessionnelle de Laplume", OrganisationKind.MSP, "47137"),
            ("Maison de santé pluriprofessionnelle Agen Nord", OrganisationKind.MSP, "47001"),
            ("Maison de santé pluriprofessionnelle de Donnefort", OrganisationKind.MSP, "47001"),
            ("ARS Nouvelle-Aquitaine, délégation départementale de Lot-et-Garonne", OrganisationKind.ARS, "47001"),
            ("CPAM de Lot-et-Garonne", OrganisationKind.CPAM, "47001"),
            ("Conseil départemental de l'Ordre des médecins de Lot-et-Garonne", OrganisationKind.ORDRE, ""),
            ("URPS Médecins libéraux Nouvelle-Aquitaine", OrganisationKind.URPS, ""),
            ("Université de Bordeaux, collège Sciences de la santé", OrganisationKind.FACULTY, ""),
        ),
        partner_organisation="CPAM de Lot-et-Garonne",
    ),
)

# One account per role and territory: (local part of the e-mail, role, staff?, first name, last name).
TERRITORY_ACCOUNTS = (
    ("coordination", Role.COORDINATOR, True, "Camille", "Lemarchand"),
    ("direction", Role.MANAGER, True, "Nathalie", "Guérin"),
    ("elu", Role.ELECTED_OFFICIAL, False, "Bernard", "Aubry"),
    ("conseil", Role.COUNCIL_MEMBER, False, "Sophie", "Renaud"),
    ("partenaire", Role.PARTNER, True, "Karim", "Benali"),
)

PROFESSIONAL_EMAIL = "medecin@guichet.demo"
PROFESSIONAL_RPPS = "10002415783"  # 11 digits with a valid Luhn key, not a real practitioner's
SUPERUSER_EMAIL = "admin@guichet.demo"


@dataclass
class DemoLogin:
    email: str
    role_label: str
    territory: str = ""


class DemoTerritories(dict):
    """The demo territories by slug, with the helpers a demo builder needs (see the module docstring)."""

    def __init__(self):
        super().__init__()
        self.logins: list[DemoLogin] = []

    def organisation(self, territory: Territory, name: str) -> Organisation:
        return Organisation.objects.for_territory(territory).get(name=name)

    def account(
        self,
        *,
        email: str,
        first_name: str,
        last_name: str,
        role_label: str,
        territory: Territory | None = None,
        role: str | None = None,
        organisation: Organisation | None = None,
        is_staff: bool = False,
        is_superuser: bool = False,
    ) -> User:
        user = demo_user_ensure(
            email=email, first_name=first_name, last_name=last_name, is_staff=is_staff, is_superuser=is_superuser
        )
        if territory is not None and role is not None:
            membership, _ = Membership.objects.get_or_create(territory=territory, user=user, role=role)
            _sync(membership, {"organisation": organisation})
        self.logins.append(DemoLogin(email=email, role_label=role_label, territory=territory.name if territory else ""))
        return user


def _sync(obj, values: dict) -> bool:
    """Set the fields that differ and save only those: a second seed writes nothing."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.full_clean()
        obj.save(update_fields=changed)
    return bool(changed)


def demo_user_ensure(
    *, email: str, first_name: str, last_name: str, is_staff: bool = False, is_superuser: bool = False
) -> User:
    """A demo account with the demo password and a verified primary e-mail (allauth requires one)."""
    from allauth.account.models import EmailAddress

    user, created = User.objects.get_or_create(email=email)
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    _sync(
        user,
        {
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_staff or is_superuser,
            "is_superuser": is_superuser,
            "is_active": True,
        },
    )
    address, _ = EmailAddress.objects.get_or_create(user=user, email=email)
    _sync(address, {"verified": True, "primary": True})
    return user


def territory_ensure(spec: TerritorySpec) -> Territory:
    territory = Territory.objects.filter(slug=spec.slug).first()
    values = {
        "name": spec.name,
        "kind": spec.kind,
        "region": spec.region,
        "siren": spec.siren,
        "contact_email": spec.contact_email,
        "contact_phone": spec.contact_phone,
        "article": spec.article,
        "main_colour": spec.main_colour,
        "presentation": spec.presentation,
        "is_active": True,
    }
    if territory is None:
        territory = Territory(slug=spec.slug, **values)
        territory.full_clean()
        territory.save()
    else:
        _sync(territory, values)
    logo = _DATA / "logos" / f"{spec.slug}.svg"
    if not territory.logo and logo.exists():
        # Drawn for the demo (portal/data/logos); a real territory uploads its own in the admin.
        territory.logo.save(logo.name, ContentFile(logo.read_bytes()), save=True)
    return territory


def organisations_ensure(territory: Territory, spec: TerritorySpec) -> None:
    communes = Commune.objects.in_bulk([code for _, _, code in spec.organisations if code], field_name="insee_code")
    existing = {o.name: o for o in Organisation.objects.for_territory(territory)}
    for name, kind, insee_code in spec.organisations:
        values = {"kind": kind, "commune": communes.get(insee_code)}
        organisation = existing.get(name)
        if organisation is None:
            organisation = Organisation(territory=territory, name=name, **values)
            organisation.full_clean()
            organisation.save()
        else:
            _sync(organisation, values)


def accounts_ensure(territories: DemoTerritories, territory: Territory, spec: TerritorySpec) -> None:
    partner_organisation = territories.organisation(territory, spec.partner_organisation)
    for local_part, role, is_staff, first_name, last_name in TERRITORY_ACCOUNTS:
        is_partner = role == Role.PARTNER
        territories.account(
            email=f"{local_part}@{territory.slug}.demo",
            first_name=first_name,
            last_name=last_name,
            role_label=f"{Role(role).label} ({partner_organisation.name})" if is_partner else str(Role(role).label),
            territory=territory,
            role=role,
            organisation=partner_organisation if is_partner else None,
            is_staff=is_staff,
        )


def professional_ensure(territories: DemoTerritories) -> None:
    user = territories.account(
        email=PROFESSIONAL_EMAIL,
        first_name="Julien",
        last_name="Morvan",
        role_label="Médecin généraliste (professionnel, espace personnel)",
    )
    profile, _ = ProfessionalProfile.objects.get_or_create(
        user=user, defaults={"profession": Profession.DOCTOR_GP, "rpps": PROFESSIONAL_RPPS}
    )
    _sync(
        profile,
        {
            "profession": Profession.DOCTOR_GP,
            "specialty": "Médecine générale",
            "rpps": PROFESSIONAL_RPPS,
            "practice_mode": PracticeMode.LIBERAL,
        },
    )


def app_demo_builders() -> list[Callable[..., None]]:
    """The `demo_data` builders declared by installed apps, in INSTALLED_APPS order."""
    return [import_string(hooks.demo_data) for _config, hooks in declared_hooks() if hooks.demo_data]


def _call_builder(builder: Callable[..., None], territories: DemoTerritories) -> None:
    # The contract is `build(*, territories)`; a builder taking one positional argument gets the
    # same object, so an app's builder is not broken by what it names its parameter.
    if "territories" in inspect.signature(builder).parameters:
        builder(territories=territories)
    else:
        builder(territories)


def _refuse_partial_demo_data(refusals: Refusals) -> None:
    # The shipped data must import whole: a refusal there is a bug, never something to skip.
    if refusals:
        raise RuntimeError("Données de démonstration refusées : " + " ".join(refusals.lines()))


@transaction.atomic
def build() -> DemoTerritories:
    """Create or update the whole demo; returns the territories with the logins to show."""
    territories = DemoTerritories()
    for spec in TERRITORIES:
        territory = territory_ensure(spec)
        imported = communes_import(territory=territory, epci=spec.epci or None, departement=spec.departement or None)
        _refuse_partial_demo_data(imported.refusals)
        territories[spec.slug] = territory
    for profession, path in DEMO_ZONINGS.items():
        _refuse_partial_demo_data(ars_zoning_import(path=path, profession=profession).refusals)
    for spec in TERRITORIES:
        organisations_ensure(territories[spec.slug], spec)
    for spec in TERRITORIES:
        accounts_ensure(territories, territories[spec.slug], spec)
    professional_ensure(territories)
    territories.account(
        email=SUPERUSER_EMAIL,
        first_name="Admin",
        last_name="Démo",
        role_label="Superutilisateur (tous les territoires)",
        is_superuser=True,
    )
    for builder in app_demo_builders():
        _call_builder(builder, territories)
    return territories
