from .commune import Commune
from .membership import Membership
from .organisation import Organisation
from .people import ProfessionalProfile
from .territory import Territory
from .user import User

__all__ = ["Commune", "Membership", "Organisation", "ProfessionalProfile", "Territory", "User"]
