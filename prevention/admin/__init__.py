"""The prevention back office: `initiatives` (inventory, fundings, documents, good-practice sheets,
replications, the sharing setting, CSV export), `agenda` (the prevention events on portal/events),
`sanitary_service` (students, teams, sites, interventions) and the ambassadors."""

from prevention.admin import agenda, initiatives, sanitary_service  # noqa: F401
