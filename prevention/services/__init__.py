"""Writes of the prevention axis, one module per subject: `good_practices` (sheets, replications,
sharing between territories), `retention` (the nightly purge of ambassadors and service-sanitaire
students past their retention period)."""
