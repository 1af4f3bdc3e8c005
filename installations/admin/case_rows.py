"""The case page's repeated rows (installations/admin/case_page.py) written in Python: the timeline,
the conversation, the internal notes and each need's thread with its partner referent. Through the
template engine each row cost a dozen variable lookups, filters and a date format; a case followed
for a year has a hundred of them. The HTML is what page.html wrote; every value is escaped here."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.defaultfilters import linebreaksbr
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


def _when(value, format_: str) -> str:
    # What the template's `date` filter writes: the local time, formatted in the page's language.
    return formats.date_format(localtime(value), format_)


def _person(user) -> str:
    return escape(user.get_full_name() or user.email) if user is not None else "—"


def _post(css: str, who: str, created_at, body: str) -> str:
    return (
        f'<li class="{css}"><p class="cp-meta">{who}, {_when(created_at, "j F Y H:i")}</p>'
        f"<p>{linebreaksbr(body, autoescape=True)}</p></li>"
    )


def messages_html(messages: Iterable) -> SafeString:
    """The conversation with the applicant, oldest first."""
    applicant = escape(_("Le demandeur"))
    rows = [
        _post(
            "cp-from-applicant" if message.from_applicant else "cp-from-team",
            applicant if message.from_applicant else _person(message.author),
            message.created_at,
            message.body,
        )
        for message in messages
    ]
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


def notes_html(notes: Iterable) -> SafeString:
    """The team's internal notes."""
    rows = [_post("cp-note", _person(note.author), note.created_at, note.body) for note in notes]
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


def thread_html(notes: Iterable, referent_id: int | None) -> SafeString:
    """A need's exchanges with its partner referent (the team's notes on that need)."""
    rows = [
        _post(
            "cp-from-partner" if note.author_id == referent_id else "cp-from-team",
            _person(note.author),
            note.created_at,
            note.body,
        )
        for note in notes
    ]
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


def timeline_html(events: Iterable) -> SafeString:
    """The case's history, newest first."""
    seen = escape(_("vu par le demandeur"))
    rows = []
    for event in events:
        actor = f' <span class="cp-meta">— {_person(event.actor)}</span>' if event.actor else ""
        public = f' <span class="cp-tag">{seen}</span>' if event.public else ""
        rows.append(
            f'<li><time datetime="{_when(event.created_at, "c")}">{_when(event.created_at, "j M Y H:i")}</time> '
            f"{escape(event.summary)}{actor}{public}</li>"
        )
    if not rows:
        nothing = escape(_("Rien pour l'instant."))
        rows.append(f"<li>{nothing}</li>")
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
