"""The applicant-facing pages of the installation axis, mounted at `<slug:territory_slug>/installation/`:
`request` (the guided request and its confirmation), `applicant` (the applicant's own cases),
`public` (aids and opportunities)."""
