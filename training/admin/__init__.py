"""The training axis' back office, one module per subject: `sites` (host sites, supervisors and
capacities), `placements` (offers and who arrives when, where, needing what), `housing` (the stock
and its bookings), `welcome` (kits handed out). Importing the modules registers their admins."""

from training.admin import housing, placements, sites, welcome  # noqa: F401 (registers the admins)
