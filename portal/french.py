"""French that reads like French: a territory's name with its article, "1er" for the first of the
month, one time format ("18 h 00"), phone numbers that never break across lines.

Templates reach these through the `portal_french` filters; e-mails and documents call them directly."""

from __future__ import annotations

import datetime
import functools
import unicodedata

from django.utils import formats, timezone

NBSP = "\u00a0"
_VOWELS = tuple("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")

# article value -> (with the article, "de" form, "à" form); "" is a name without article (Agen).
_FORMS = {
    "le": ("le ", "du ", "au "),
    "la": ("la ", "de la ", "à la "),
    "l": ("l'", "de l'", "à l'"),
    "les": ("les ", "des ", "aux "),
    "": ("", "de ", "à "),
}


def _starts_with_vowel(name: str) -> bool:
    return name.startswith(_VOWELS)


def with_article(name: str, article: str) -> str:
    """ "la Communauté d'agglomération du Cotentin", "l'Agglomération d'Agen", "Agen"."""
    return _FORMS.get(article, _FORMS[""])[0] + name


def of(name: str, article: str) -> str:
    """ "de la Communauté…", "du Département des Deux-Sèvres", "de l'Agglomération d'Agen", "d'Agen"."""
    if not article and _starts_with_vowel(name):
        return "d'" + name
    return _FORMS.get(article, _FORMS[""])[1] + name


def to(name: str, article: str) -> str:
    """ "à la Communauté…", "au Département des Deux-Sèvres", "à l'Agglomération d'Agen"."""
    return _FORMS.get(article, _FORMS[""])[2] + name


def phone(value: str) -> str:
    """`05 36 49 47 10` with non-breaking spaces."""
    return NBSP.join((value or "").split())


def _local(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date(value: datetime.date | datetime.datetime, fmt: str = "j F Y") -> str:
    """A Django date format with "1er" for the first of the month: "1er septembre 2026"."""
    value = _local(value)
    if value.day == 1:
        fmt = fmt.replace("j", "\\1\\e\\r")
    return formats.date_format(value, fmt)


def time(value: datetime.datetime | datetime.time) -> str:
    """ "18 h 00", "9 h 30": the one time format of pages, e-mails and documents."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def datetime_(value: datetime.datetime, fmt: str = "j F Y") -> str:
    """ "1er septembre 2026 à 18 h 00"."""
    return f"{date(value, fmt)} à {time(value)}"


@functools.lru_cache(maxsize=8192)  # commune names, sorted on every page that lists them
def sort_key(text: str) -> tuple[str, str]:
    """French dictionary order, as PostgreSQL's ICU "fr" collation sorts at its first level: accents
    and case do not count ("Écausseville" between "Digosville" and "Flottemanville"), then the text
    itself breaks ties. The same on SQLite, where no collation knows French."""
    base = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in base if not unicodedata.combining(c)).casefold()
    return base.replace("œ", "oe").replace("æ", "ae"), text


def sorted_by_name(items, name=lambda item: item.name):
    """`items` in French order of their name."""
    return sorted(items, key=lambda item: sort_key(name(item)))
