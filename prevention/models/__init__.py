"""The prevention axis's tables, by subject: the initiatives inventory and its good practices, the
agenda (on portal/events), the service sanitaire and the health ambassadors."""

from prevention.models.agenda import AgendaDetails, PreventionEvent
from prevention.models.ambassadors import Ambassador
from prevention.models.initiatives import (
    Funding,
    Initiative,
    InitiativeDocument,
    PreventionSettings,
    ReplicationSheet,
)
from prevention.models.sanitary_service import HealthStudent, Intervention, InterventionSite, StudentTeam

__all__ = [
    "AgendaDetails",
    "Ambassador",
    "Funding",
    "HealthStudent",
    "Initiative",
    "InitiativeDocument",
    "Intervention",
    "InterventionSite",
    "PreventionEvent",
    "PreventionSettings",
    "ReplicationSheet",
    "StudentTeam",
]
