"""The case's timeline: every write records what happened as a `CaseEvent` (public ones are
shown to the applicant)."""

from __future__ import annotations

from installations.models import Case, CaseEvent


def actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def record(case: Case, *, actor, kind: str, summary: str, public: bool = False, need=None, **payload) -> CaseEvent:
    return CaseEvent.objects.create(
        territory_id=case.territory_id,
        case=case,
        need=need,
        actor=actor_or_none(actor),
        kind=kind,
        summary=summary[:255],
        payload=payload,
        public=public,
    )
