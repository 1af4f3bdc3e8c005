"""The back office of training, one module per subject."""

from training.admin import outreach, scholarships, sessions

__all__ = ["outreach", "scholarships", "sessions"]
