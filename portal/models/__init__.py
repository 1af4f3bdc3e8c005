from portal.models.commune import Commune, CommuneZoning
from portal.models.membership import Membership
from portal.models.organisation import Organisation
from portal.models.people import ProfessionalProfile
from portal.models.territory import Territory
from portal.models.user import User

__all__ = ["Commune", "CommuneZoning", "Membership", "Organisation", "ProfessionalProfile", "Territory", "User"]
