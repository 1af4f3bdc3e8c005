"""Repeated rows written in Python: on the case page (installations/admin/case_page.py) the timeline,
the conversation, the internal notes and each need's thread with its partner referent; on the partner
referent's page (referrals.py) the needs referred to them. Through the template engine each row cost
a dozen variable lookups, filters and a date format; a case followed for a year has a hundred of
them, a partner some forty referrals. The HTML is what the templates wrote; every value is escaped here."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from installations.enums import NeedKind, NeedState, ReferralAnswer


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


def referral_rows_html(needs: Iterable, today) -> SafeString:
    """The partner referent's list of the needs referred to them (referrals.py), one item each: what
    admin/installations/need/_referral_rows.html wrote, a need's labels read from dicts (a model's
    get_FOO_display() translates every choice of the field at each call)."""
    kinds = {value: escape(label) for value, label in NeedKind.choices}
    states = {value: escape(label) for value, label in NeedState.choices}
    answers = {value: escape(label) for value, label in ReferralAnswer.choices}
    words = {
        "case": escape(_("demande")),
        "territory": escape(_("Territoire")),
        "referred": escape(_("Orienté le")),
        "due": escape(_("Échéance")),
        "answer": escape(_("Votre réponse")),
        "state": escape(_("État")),
        "overdue": escape(_("dépassée")),
    }
    # One reversal: the items' URLs differ only by the primary key.
    before, after = reverse("admin:installations_referral", args=[0]).rsplit("/0/", 1)
    rows = []
    for need in needs:
        due = "—"
        if need.due_date:
            late = need.due_date < today and need.state == NeedState.REFERRED
            mark = f" ({words['overdue']})" if late else ""
            css = ' class="rf-overdue"' if late else ""
            due = f"<span{css}>{formats.date_format(need.due_date, 'j F Y')}{mark}</span>"
        referred_at = _when(need.referred_at, "j F Y") if need.referred_at else ""
        rows.append(
            f'<li class="cp-need"><h3><a href="{escape(before)}/{need.pk}/{escape(after)}">'
            f"{kinds.get(need.kind, escape(need.kind))} — {words['case']} {escape(need.case.reference)}</a></h3>"
            f'<dl class="cp-facts">'
            f"<div><dt>{words['territory']}</dt><dd>{escape(need.case.territory.name)}</dd></div>"
            f"<div><dt>{words['referred']}</dt><dd>{referred_at}</dd></div>"
            f"<div><dt>{words['due']}</dt><dd>{due}</dd></div>"
            f'<div><dt>{words["answer"]}</dt><dd class="cp-answer-{escape(need.referral_answer or "pending")}">'
            f"{answers.get(need.referral_answer, escape(need.referral_answer))}</dd></div>"
            f"<div><dt>{words['state']}</dt><dd>{states.get(need.state, escape(need.state))}</dd></div>"
            f"</dl></li>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
