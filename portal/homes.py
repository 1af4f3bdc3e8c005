"""Where each person lands after signing in: the page of their role in their territory.

The apps declare their role homes (portal/hooks.py `RoleHome`): the coordinator and the manager on the
installation dashboard, the partner on their referrals, the elected official and the council member
on the governance page… A person with no role lands on their personal space; a person with
several homes (two roles, or roles in two territories) chooses one (`portal:home`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.hooks import RoleHome, declared_hooks
from portal.models import Territory
from portal.selectors import memberships_of


@dataclass(frozen=True)
class Home:
    territory: Territory | None
    role_label: str
    title: Any
    url: str


def _declared() -> list[RoleHome]:
    return [home for _config, hooks in declared_hooks() for home in hooks.role_homes]


def _url(home: RoleHome, territory: Territory) -> str:
    if home.territory_in == "query":
        return f"{reverse(home.url_name)}?territory={territory.pk}"
    return reverse(home.url_name, kwargs={"territory_slug": territory.slug})


def homes_for(user: Any) -> list[Home]:
    """The pages `user` may land on, one per (territory, page), in the order of their memberships
    (territory name, then role). A superuser lands on the admin's index."""
    if user.is_superuser:
        return [Home(territory=None, role_label="", title=_("Administration du guichet"), url=reverse("admin:index"))]
    declared = _declared()
    homes: list[Home] = []
    seen: set[str] = set()
    for membership in memberships_of(user):
        home = next((home for home in declared if membership.role in home.roles), None)
        if home is None:
            continue
        url = _url(home, membership.territory)
        if url not in seen:
            seen.add(url)
            label = membership.get_role_display()
            homes.append(Home(territory=membership.territory, role_label=label, title=home.title, url=url))
    return homes
