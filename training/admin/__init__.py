"""The back office of training, one module per subject: `sites` (host sites, supervisors and
capacities), `placements` (offers and who arrives when, where, needing what), `housing` (the stock
and its bookings), `welcome` (kits handed out), `sessions`, `scholarships`, `outreach`. Importing
the modules registers their admins."""

from training.admin import housing, outreach, placements, scholarships, sessions, sites, welcome

__all__ = ["housing", "outreach", "placements", "scholarships", "sessions", "sites", "welcome"]
