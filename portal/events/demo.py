"""One published event per demo territory (training and prevention add their own through their apps)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from portal.events.enums import EventAudience, EventStatus
from portal.events.models import Event
from portal.models import Commune


@dataclass(frozen=True)
class DemoEvent:
    territory: str
    title: str
    description: str
    audience: str
    place: str
    insee_code: str
    organiser: str
    capacity: int | None
    allow_anonymous: bool
    in_days: int
    starts: time
    hours: float


DEMO_EVENTS = (
    DemoEvent(
        territory="cotentin",
        title="Formation : protocoles de coopération et télésanté",
        description="Une demi-journée pour les médecins, infirmiers et pharmaciens du territoire : les protocoles "
        "de coopération, la téléexpertise et la téléconsultation assistée, avec la CPTS.",
        audience=EventAudience.PROFESSIONALS,
        place="Centre hospitalier public du Cotentin, salle de conférences",
        insee_code="50129",
        organiser="Centre hospitalier public du Cotentin (CHPC)",
        capacity=20,
        allow_anonymous=False,
        in_days=17,
        starts=time(14, 0),
        hours=3.5,
    ),
    DemoEvent(
        territory="deux-sevres",
        title="Soirée d'accueil des internes du semestre",
        description="Les internes qui arrivent en Deux-Sèvres rencontrent leurs maîtres de stage, les élus et le "
        "guichet unique ; remise du kit d'accueil.",
        audience=EventAudience.STUDENTS,
        place="Centre hospitalier de Niort, hall d'accueil",
        insee_code="79191",
        organiser="Centre hospitalier de Niort",
        capacity=60,
        allow_anonymous=False,
        in_days=24,
        starts=time(19, 0),
        hours=3,
    ),
    DemoEvent(
        territory="agen",
        title="Mercredi de la santé : dépistage du diabète",
        description="Stand de prévention à côté de la collecte de sang : mesure de la glycémie, conseils "
        "nutritionnels et orientation vers un médecin traitant. Ouvert à tous, sans compte.",
        audience=EventAudience.PUBLIC,
        place="Place Armand-Fallières",
        insee_code="47001",
        organiser="Centre hospitalier Agen-Nérac",
        capacity=30,
        allow_anonymous=True,
        in_days=10,
        starts=time(10, 0),
        hours=6,
    ),
)


def build(*, territories: Any) -> None:
    """Create each demo event once (dates relative to the first seeding; a second run changes nothing)."""
    today = timezone.localdate()
    for spec in DEMO_EVENTS:
        territory = territories[spec.territory]
        starts_at = timezone.make_aware(datetime.combine(today + timedelta(days=spec.in_days), spec.starts))
        Event.objects.get_or_create(
            territory=territory,
            title=spec.title,
            defaults={
                "description": spec.description,
                "audience": spec.audience,
                "place": spec.place,
                "commune": Commune.objects.filter(insee_code=spec.insee_code).first(),
                "organiser": territories.organisation(territory, spec.organiser),
                "capacity": spec.capacity,
                "allow_anonymous": spec.allow_anonymous,
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=spec.hours),
                "status": EventStatus.PUBLISHED,
            },
        )
