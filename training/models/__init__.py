from training.models.outreach import OutreachAction, OutreachSpeaker
from training.models.scholarships import (
    ApplicationDocument,
    Commitment,
    ScholarshipApplication,
    ScholarshipProgramme,
    TutorPair,
)
from training.models.sessions import Session

__all__ = [
    "ApplicationDocument",
    "Commitment",
    "OutreachAction",
    "OutreachSpeaker",
    "ScholarshipApplication",
    "ScholarshipProgramme",
    "Session",
    "TutorPair",
]
