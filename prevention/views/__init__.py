"""The prevention pages of a territory's site (`/<territory_slug>/prevention/`): `public` (agenda,
its iCalendar feed, the inventory by commune, good practices) and `team` (what only the
territory's team reads: the good practices other territories share, the service sanitaire's
planning, the ambassadors, the initiatives' documents)."""
