"""The training axis' models, one module per subject (training-b adds its own beside them)."""

from training.models.housing import Booking, HousingUnit
from training.models.placements import Offer, OfferSite, Placement
from training.models.sites import HostingCapacity, HostSite, Supervisor
from training.models.welcome import WelcomeKit

__all__ = [
    "Booking",
    "HostSite",
    "HostingCapacity",
    "HousingUnit",
    "Offer",
    "OfferSite",
    "Placement",
    "Supervisor",
    "WelcomeKit",
]
