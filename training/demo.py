"""Demo data of the training axis (portal/demo.py's `demo_data` hook), from the seed plans: Agen's
« Maison des internes » (also for locums) beside the hospital's internat, the Cotentin's joint
town–hospital programmes between the CHPC and the practices of the peninsula, Deux-Sèvres' welcome
kits handed to interns. Dates follow the current semester, so the demo always shows arrivals.

Idempotent: rows are found by their natural keys (names, titles and semester, e-mails).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from portal.enums import Role
from portal.models import Commune, Organisation, Territory
from training.enums import BookingSource, BookingStatus, HostSiteKind, HousingKind, PlacementStatus, TraineeLevel
from training.models import (
    Booking,
    HostingCapacity,
    HostSite,
    HousingUnit,
    Offer,
    OfferSite,
    Placement,
    Supervisor,
    WelcomeKit,
)
from training.semesters import Semester
from training.services.housing import booking_request
from training.services.placements import placement_register

STUDENT_EMAIL = "interne@guichet.demo"


@dataclass(frozen=True)
class SiteSpec:
    name: str
    kind: str
    insee: str
    organisation: str = ""
    supervisor: tuple[str, str] | None = None
    capacities: tuple[tuple[str, str, int], ...] = ()


SITES = {
    "agen": (
        SiteSpec(
            "Urgences du CH Agen-Nérac",
            HostSiteKind.HOSPITAL_DEPARTMENT,
            "47001",
            "Centre hospitalier Agen-Nérac",
            ("Hélène", "Castéra"),
            ((TraineeLevel.INTERN, "Médecine d'urgence", 3), (TraineeLevel.EXTERN, "", 4)),
        ),
        SiteSpec(
            "MSP d'Astaffort",
            HostSiteKind.MSP,
            "47015",
            "Maison de santé pluriprofessionnelle d'Astaffort",
            ("Jean-Marc", "Lafitte"),
            ((TraineeLevel.INTERN, "Médecine générale", 2), (TraineeLevel.NURSING, "", 2)),
        ),
        SiteSpec(
            "MSP de Laplume",
            HostSiteKind.MSP,
            "47137",
            "Maison de santé pluriprofessionnelle de Laplume",
            ("Aurélie", "Dubourg"),
            ((TraineeLevel.INTERN, "Médecine générale", 1), (TraineeLevel.PHYSIOTHERAPY, "", 1)),
        ),
    ),
    "cotentin": (
        SiteSpec(
            "Urgences du CHPC",
            HostSiteKind.HOSPITAL_DEPARTMENT,
            "50129",
            "Centre hospitalier public du Cotentin (CHPC)",
            ("Olivier", "Lecanu"),
            ((TraineeLevel.INTERN, "Médecine générale", 4), (TraineeLevel.JUNIOR_DOCTOR, "Médecine d'urgence", 1)),
        ),
        SiteSpec(
            "Pédiatrie du CHPC",
            HostSiteKind.HOSPITAL_DEPARTMENT,
            "50129",
            "Centre hospitalier public du Cotentin (CHPC)",
            ("Marine", "Hamel"),
            ((TraineeLevel.INTERN, "Pédiatrie", 2), (TraineeLevel.MIDWIFERY, "", 2)),
        ),
        SiteSpec(
            "Cabinet médical de Beaumont-Hague",
            HostSiteKind.PRACTICE,
            "50041",
            "",
            ("François", "Lemonnier"),
            ((TraineeLevel.INTERN, "Médecine générale", 1), (TraineeLevel.EXTERN, "", 1)),
        ),
        SiteSpec(
            "Pharmacie du Vieux Pont, Valognes",
            HostSiteKind.PHARMACY,
            "50615",
            "",
            ("Claire", "Mauger"),
            ((TraineeLevel.PHARMACY, "", 1),),
        ),
    ),
    "deux-sevres": (
        SiteSpec(
            "Médecine polyvalente du CH Nord Deux-Sèvres",
            HostSiteKind.HOSPITAL_DEPARTMENT,
            "79116",
            "Centre hospitalier Nord Deux-Sèvres",
            ("Philippe", "Guillot"),
            ((TraineeLevel.INTERN, "Médecine générale", 3),),
        ),
        SiteSpec(
            "Cabinet des docteurs Roux, Bressuire",
            HostSiteKind.PRACTICE,
            "79049",
            "",
            ("Agnès", "Roux"),
            ((TraineeLevel.INTERN, "Médecine générale", 1), (TraineeLevel.EXTERN, "", 1)),
        ),
        SiteSpec(
            "EHPAD Les Tilleuls, Thouars",
            HostSiteKind.EHPAD,
            "79329",
            "",
            ("Sylvie", "Brunet"),
            ((TraineeLevel.NURSING, "", 3),),
        ),
    ),
}

# (title, level, specialty, [site names], places): several sites make a joint programme whose
# semester is split between them in order.
OFFERS = {
    "agen": (
        (
            "Médecine d'urgence au CH Agen-Nérac",
            TraineeLevel.INTERN,
            "Médecine d'urgence",
            ["Urgences du CH Agen-Nérac"],
            3,
        ),
        ("Médecine générale en MSP à Astaffort", TraineeLevel.INTERN, "Médecine générale", ["MSP d'Astaffort"], 2),
        ("Stage infirmier en soins primaires", TraineeLevel.NURSING, "", ["MSP d'Astaffort"], 2),
    ),
    "cotentin": (
        (
            "Parcours ville-hôpital : urgences du CHPC et cabinet de la Hague",
            TraineeLevel.INTERN,
            "Médecine générale",
            ["Urgences du CHPC", "Cabinet médical de Beaumont-Hague"],
            2,
        ),
        (
            "Parcours ville-hôpital : pédiatrie du CHPC et pharmacie de Valognes",
            TraineeLevel.EXTERN,
            "",
            ["Pédiatrie du CHPC", "Pharmacie du Vieux Pont, Valognes"],
            1,
        ),
        ("Pédiatrie au CHPC", TraineeLevel.INTERN, "Pédiatrie", ["Pédiatrie du CHPC"], 2),
    ),
    "deux-sevres": (
        (
            "Médecine polyvalente au CH Nord Deux-Sèvres",
            TraineeLevel.INTERN,
            "Médecine générale",
            ["Médecine polyvalente du CH Nord Deux-Sèvres"],
            3,
        ),
        (
            "Médecine générale à Bressuire",
            TraineeLevel.INTERN,
            "Médecine générale",
            ["Cabinet des docteurs Roux, Bressuire"],
            1,
        ),
    ),
}

# Students recorded by the coordinator from the faculty's assignments (no account): (name, offer index).
STUDENTS = {
    "agen": (("Léa Fournier", 0), ("Hugo Marchand", 0), ("Inès Bourdieu", 1), ("Tom Carrère", 2)),
    "cotentin": (("Manon Lefèvre", 0), ("Julien Osmont", 0), ("Sarah Le Goff", 1)),
    "deux-sevres": (("Antoine Pacaud", 0), ("Chloé Mercier", 0), ("Lucas Texier", 1)),
}

HOUSING = {
    "agen": [
        ("Maison des internes d'Agen", f"Chambre {n}", HousingKind.RESIDENCE_ROOM, "47001", True) for n in range(1, 7)
    ]
    + [("Internat du CH Agen-Nérac", f"Place {n}", HousingKind.INTERNAT, "47001", False) for n in range(1, 4)],
    "cotentin": [("Internat du CHPC", f"Chambre {n}", HousingKind.INTERNAT, "50129", False) for n in range(1, 5)]
    + [("", "Appartement communal de Beaumont-Hague", HousingKind.COMMUNE_FLAT, "50041", False)],
    "deux-sevres": [
        ("Internat du CH Nord Deux-Sèvres", f"Chambre {n}", HousingKind.INTERNAT, "79116", False) for n in range(1, 4)
    ]
    + [("", "Logement prêté par la ville de Bressuire", HousingKind.COMMUNE_FLAT, "79049", False)],
}


def _organisation(territory: Territory, name: str) -> Organisation | None:
    return Organisation.objects.for_territory(territory).filter(name=name).first() if name else None


def _saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _sites(territory: Territory) -> dict[str, HostSite]:
    communes = Commune.objects.in_bulk([spec.insee for spec in SITES[territory.slug]], field_name="insee_code")
    faculty = Organisation.objects.for_territory(territory).filter(kind="faculty").first()
    sites = {}
    for spec in SITES[territory.slug]:
        site = HostSite.objects.for_territory(territory).filter(name=spec.name).first() or _saved(
            HostSite(
                territory=territory,
                name=spec.name,
                kind=spec.kind,
                commune=communes[spec.insee],
                organisation=_organisation(territory, spec.organisation),
            )
        )
        sites[spec.name] = site
        if spec.supervisor and not Supervisor.objects.filter(host_site=site, last_name=spec.supervisor[1]).exists():
            _saved(
                Supervisor(
                    territory=territory,
                    host_site=site,
                    first_name=spec.supervisor[0],
                    last_name=spec.supervisor[1],
                    faculty=faculty,
                    accredited_on=datetime.date(2021, 9, 1),
                    accredited_until=datetime.date(2026 + 5, 8, 31),
                )
            )
        for level, specialty, places in spec.capacities:
            HostingCapacity.objects.get_or_create(
                territory=territory,
                host_site=site,
                level=level,
                specialty=specialty,
                defaults={"places_per_semester": places},
            )
    return sites


def _offers(territory: Territory, sites: dict[str, HostSite], semester: Semester) -> list[Offer]:
    offers = []
    for title, level, specialty, site_names, places in OFFERS[territory.slug]:
        offer = Offer.objects.for_territory(territory).filter(title=title, semester=semester.code).first()
        if offer is None:
            offer = _saved(
                Offer(
                    territory=territory,
                    title=title,
                    level=level,
                    specialty=specialty,
                    semester=semester.code,
                    places=places,
                    description=_description(site_names),
                )
            )
            # A joint programme splits the semester in equal parts, in the order of its sites.
            days = (semester.end - semester.start).days + 1
            share = days // len(site_names)
            for index, name in enumerate(site_names):
                joint = len(site_names) > 1
                start = semester.start + datetime.timedelta(days=index * share)
                end = semester.end if index == len(site_names) - 1 else start + datetime.timedelta(days=share - 1)
                _saved(
                    OfferSite(
                        territory=territory,
                        offer=offer,
                        host_site=sites[name],
                        supervisor=sites[name].supervisors.first(),
                        start_date=start if joint else None,
                        end_date=end if joint else None,
                    )
                )
        offers.append(offer)
    return offers


def _description(site_names: list[str]) -> str:
    if len(site_names) > 1:
        return (
            "Un semestre partagé entre l'hôpital et la ville, construit avec les maîtres de stage du territoire : "
            + " puis ".join(site_names)
            + ". Logement à l'internat ou dans un logement prêté par la commune, accueil par le guichet santé."
        )
    return (
        "Stage encadré par un maître de stage agréé. Le guichet santé aide à trouver un logement et accueille "
        "les internes."
    )


def _placements(territory: Territory, offers: list[Offer], semester: Semester) -> list[Placement]:
    placements = []
    for number, (name, offer_index) in enumerate(STUDENTS[territory.slug], start=1):
        offer = offers[offer_index]
        first = unicodedata.normalize("NFKD", name.split()[0].lower()).encode("ascii", "ignore").decode()
        email = f"{first}.{number}@etudiant.example"
        placement = Placement.objects.for_territory(territory).filter(offer=offer, student_email=email).first()
        if placement is None:
            placement = _saved(
                Placement(
                    territory=territory,
                    offer=offer,
                    semester=offer.semester,
                    student_name=name,
                    student_email=email,
                    start_date=semester.start,
                    end_date=semester.end,
                    needs_housing=number % 2 == 1,
                    needs_transport=number % 3 == 0,
                    needs_welcome=True,
                    status=PlacementStatus.CONFIRMED,
                )
            )
        placements.append(placement)
    return placements


def _housing(territory: Territory) -> list[HousingUnit]:
    units = []
    communes = Commune.objects.in_bulk([row[3] for row in HOUSING[territory.slug]], field_name="insee_code")
    for residence, name, kind, insee, locums in HOUSING[territory.slug]:
        unit = HousingUnit.objects.for_territory(territory).filter(residence=residence, name=name).first()
        if unit is None:
            unit = _saved(
                HousingUnit(
                    territory=territory,
                    residence=residence,
                    name=name,
                    kind=kind,
                    commune=communes[insee],
                    open_to_locums=locums,
                    monthly_rent=200 if kind == HousingKind.RESIDENCE_ROOM else None,
                )
            )
        units.append(unit)
    return units


def _bookings(territory: Territory, placements: list[Placement], units: list[HousingUnit], semester: Semester) -> None:
    for placement, unit in zip([p for p in placements if p.needs_housing], units, strict=False):
        if not Booking.objects.filter(placement=placement).exists():
            _saved(
                Booking(
                    territory=territory,
                    unit=unit,
                    status=BookingStatus.ARRIVED,
                    source=BookingSource.PLACEMENT,
                    placement=placement,
                    occupant_name=placement.student_name,
                    occupant_email=placement.student_email,
                    start_date=placement.start_date,
                    end_date=placement.end_date + datetime.timedelta(days=1),
                    arrived_on=placement.start_date,
                    keys_handed_on=placement.start_date,
                )
            )
    if territory.slug == "agen":
        # The Maison des internes also lodges locums for a few weeks.
        locum_room = next(u for u in units if u.open_to_locums and not u.bookings.exists())
        start = timezone.localdate() + datetime.timedelta(days=10)
        if not Booking.objects.for_territory(territory).filter(occupant_name="Dr Paul Sempé").exists():
            _saved(
                Booking(
                    territory=territory,
                    unit=locum_room,
                    status=BookingStatus.CONFIRMED,
                    source=BookingSource.LOCUM,
                    occupant_name="Dr Paul Sempé",
                    occupant_email="paul.sempe@remplacant.example",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=21),
                    note="Remplacement d'un médecin de la MSP Agen Nord pendant ses congés.",
                )
            )
    if not Booking.objects.for_territory(territory).filter(status=BookingStatus.WAITING).exists():
        next_semester = semester.next()
        _saved(
            Booking(
                territory=territory,
                status=BookingStatus.WAITING,
                source=BookingSource.PLACEMENT if placements else BookingSource.LOCUM,
                placement=placements[-1] if placements else None,
                wanted_kind=HousingKind.COMMUNE_FLAT,
                occupant_name=placements[-1].student_name if placements else "Remplaçant",
                start_date=next_semester.start,
                end_date=next_semester.end,
                note="Souhaite un logement pour le semestre suivant.",
            )
        )


def _kits(territory: Territory, placements: list[Placement], semester: Semester) -> None:
    handed_by = None
    for placement in placements:
        if placement.needs_welcome and not WelcomeKit.objects.filter(placement=placement).exists():
            _saved(
                WelcomeKit(
                    territory=territory,
                    placement=placement,
                    recipient_name=placement.student_name,
                    handed_on=semester.start + datetime.timedelta(days=2),
                    handed_by=handed_by,
                    contents="Mallette d'accueil : guide du département, carte des MSP, pass loisirs",
                )
            )


def _demo_student(territories: Any, territory: Territory, offer: Offer) -> None:
    """A student account with a placement and a room, to sign in as on the public site."""
    user = territories.account(
        email=STUDENT_EMAIL,
        first_name="Emma",
        last_name="Delmas",
        role_label="Interne (stage et logement à Agen)",
        territory=territory,
        role=Role.STUDENT,
    )
    semester = Semester.from_code(offer.semester)
    placement = placement_register(
        actor=user,
        offer=offer,
        start_date=semester.start,
        end_date=semester.end,
        needs_housing=True,
        needs_welcome=True,
    )
    booking_request(
        actor=user,
        placement=placement,
        start_date=placement.start_date,
        end_date=placement.end_date,
        wanted_kind=HousingKind.RESIDENCE_ROOM,
    )


def build(*, territories: Any) -> None:
    from training.demo_programmes import build as build_programmes

    _build_placements(territories)
    # Sessions, welcome evenings, scholarships and outreach.
    build_programmes(territories=territories)


def _build_placements(territories: Any) -> None:
    semester = Semester.containing(timezone.localdate())
    for slug in ("agen", "cotentin", "deux-sevres"):
        territory = territories.get(slug)
        if territory is None:
            continue
        sites = _sites(territory)
        offers = _offers(territory, sites, semester)
        _offers(territory, sites, semester.next())
        placements = _placements(territory, offers, semester)
        units = _housing(territory)
        _bookings(territory, placements, units, semester)
        if slug == "deux-sevres":
            _kits(territory, placements, semester)
        if slug == "agen":
            _demo_student(territories, territory, offers[1])
