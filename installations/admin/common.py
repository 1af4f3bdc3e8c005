"""What the installations admin pages share: who is the team, who a partner referent, and the
admin's stylesheet."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.enums import EDITOR_ROLES, Profession, Role
from portal.tenancy.access import territory_ids_for

ADMIN_CSS = {"all": ["admin_extra/installations.css"]}


def team_ids(request) -> set[int]:
    return territory_ids_for(request.user, roles=EDITOR_ROLES)


def partner_ids(request) -> set[int]:
    return territory_ids_for(request.user, roles=[Role.PARTNER])


def is_team_for(request, territory_id) -> bool:
    return request.user.is_superuser or territory_id in team_ids(request)


def per_request(request, key, compute):
    # A value several parts of one page ask for (the team for the assign actions): read it once.
    memo = request.__dict__.setdefault("_installations_admin_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def profession_field(label):
    return forms.MultipleChoiceField(
        label=label,
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les professions."),
    )
