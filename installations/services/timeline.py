"""The case's timeline: every write records what happened as a `CaseEvent` (public ones are
shown to the applicant)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from installations.models import Case, CaseEvent, Need
from portal.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Who acts: a signed-in user, a visitor (a request's anonymous user) or nobody (a periodic task).
Actor: TypeAlias = "User | AnonymousUser | None"


def actor_or_none(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def record(
    case: Case,
    *,
    actor: Actor,
    kind: str,
    summary: str,
    public: bool = False,
    need: Need | None = None,
    **payload: object,
) -> CaseEvent:
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
