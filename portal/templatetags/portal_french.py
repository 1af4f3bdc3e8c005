"""French typography for templates (portal/french.py): `{{ t|of_name }}` "de la Communauté…",
`{{ d|fr_date }}` "1er septembre 2026", `{{ d|fr_time }}` "18 h 00", `{{ n|phone }}` unbreakable."""

import datetime

from django import template

from portal import french

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return french.phone(value)


@register.filter
def fr_date(value: datetime.date | None, fmt: str = "j F Y") -> str:
    return "" if value is None else french.date(value, fmt)


@register.filter
def fr_time(value: datetime.datetime | datetime.time | None) -> str:
    return "" if value is None else french.time(value)


@register.filter
def fr_datetime(value: datetime.datetime | None, fmt: str = "j F Y") -> str:
    return "" if value is None else french.datetime_(value, fmt)
