"""The case page's forms carry the version they were read at (`portal.concurrency`); here is what a
case and a need compare, and who changed them last (the case's timeline)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from installations.models import Case, CaseEvent, Need
from portal.concurrency import (
    LastChange,
    field_label,
    model_values,
    shown_value,
    stale_changes,
    stale_error,
    version_token,
)

# What the need card shows and writes (its referral has its own form and service).
NEED_FIELDS = ("state", "owner", "due_date", "details")


def need_values(need: Need) -> dict[str, Any]:
    return model_values(need, NEED_FIELDS)


def links_values(aid_ids: list[int], opportunity_ids: list[int]) -> dict[str, Any]:
    return {"aids": sorted(aid_ids), "opportunities": sorted(opportunity_ids)}


def need_token(need: Need) -> str:
    return version_token(need_values(need))


def links_token(aid_ids: list[int], opportunity_ids: list[int]) -> str:
    return version_token(links_values(aid_ids, opportunity_ids))


def last_case_change(case: Case, since: datetime.datetime | None, need: Need | None = None) -> LastChange | None:
    """Who wrote last on the case (or on one of its needs) after `since`: its timeline says."""
    events = CaseEvent.objects.filter(case=case, actor__isnull=False)
    if need is not None:
        events = events.filter(need=need)
    if since is not None:
        events = events.filter(created_at__gt=since)
    event = events.select_related("actor").order_by("-created_at", "-pk").first()
    if event is None or event.actor is None:
        return None
    return LastChange(who=event.actor.get_full_name() or event.actor.email, at=event.created_at)


def require_fresh_need(need: Need, version: str | None) -> None:
    """Raises the French refusal when the need changed since its card was read at `version`."""
    current = need_values(need)
    stale = stale_changes(version, current)
    if stale is None:
        return
    labels = {name: field_label(Need, name) for name in current}
    raise stale_error(
        stale,
        what=_("Ce besoin (« %(kind)s »)") % {"kind": need.get_kind_display()},
        labels=labels,
        now_shown={name: shown_value(need, name) for name in stale.fields},
        last=last_case_change(need.case, stale.read_at, need=need),
        current=current,
    )


def require_fresh_links(case: Case, version: str | None, current: Mapping[str, Any], shown: Mapping[str, str]) -> None:
    """Raises the French refusal when the case's aids or opportunities changed since `version`."""
    stale = stale_changes(version, current)
    if stale is None:
        return
    raise stale_error(
        stale,
        what=_("Ce dossier"),
        labels={"aids": _("aides associées"), "opportunities": _("opportunités liées")},
        now_shown=shown,
        last=last_case_change(case, stale.read_at),
        current=current,
    )
