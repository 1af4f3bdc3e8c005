"""Writes of the prevention axis, one module per subject: `good_practices` (sheets, replications,
sharing between territories)."""
