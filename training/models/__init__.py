"""The training axis' models, one module per subject."""

from training.models.housing import Booking, HousingUnit
from training.models.outreach import OutreachAction, OutreachSpeaker
from training.models.placements import Offer, OfferSite, Placement
from training.models.scholarships import (
    ApplicationDocument,
    Commitment,
    ScholarshipApplication,
    ScholarshipProgramme,
    TutorPair,
)
from training.models.sessions import Session
from training.models.sites import HostingCapacity, HostSite, Supervisor
from training.models.welcome import WelcomeKit

__all__ = [
    "ApplicationDocument",
    "Booking",
    "Commitment",
    "HostSite",
    "HostingCapacity",
    "HousingUnit",
    "Offer",
    "OfferSite",
    "OutreachAction",
    "OutreachSpeaker",
    "Placement",
    "ScholarshipApplication",
    "ScholarshipProgramme",
    "Session",
    "Supervisor",
    "TutorPair",
    "WelcomeKit",
]
