"""The applicant's case page's aid verdicts written in Python: through the template engine
(`installations/_eligibility.html`, which the public aids page still uses) each aid cost a dozen
variable lookups, conditions, translations and filters, the largest part of the page's rendering.
The HTML is the template's, byte for byte (tests/installations/test_applicant_html.py); every value
is escaped here (the translated texts are not: the template never escaped them)."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from installations.eligibility import AidEligibility
from portal import french
from portal.models import Territory


def _badge(result: AidEligibility) -> str:
    if result.eligible:
        css, label = "badge badge-success", _("Vous pourriez y prétendre")
    elif result.zoning_unknown:
        css, label = "badge badge-warning", _("Nous ne savons pas encore")
    elif result.eligible is None:
        css, label = "badge badge-warning", _("À vérifier")
    else:
        css, label = "badge", _("Ne s'applique pas")
    return f'<span class="{css}">{label}</span>'


def _contact(territory: Territory) -> str:
    email = escape(territory.contact_email)
    if territory.contact_phone:
        phone = escape(french.phone(territory.contact_phone))
        return _("Écrivez à %(email)s ou appelez le %(phone)s.") % {"email": email, "phone": phone}
    return _("Écrivez à %(email)s.") % {"email": email}


def _card(result: AidEligibility, territory: Territory) -> str:
    aid = result.aid
    facts: str = escape(aid.get_funder_display())
    if aid.amount:
        facts += " — " + _("jusqu'à %(amount)s €") % {"amount": conditional_escape(floatformat(aid.amount, "0g"))}
    if aid.amount_note:
        facts += f" ({escape(aid.amount_note)})"
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in result.reasons)
    unknown = ""
    if result.zoning_unknown:
        text = _("Nous ne savons pas encore si cette aide s'applique à votre installation : le guichet vous le dira.")
        unknown = f"\n    <p>{text}\n      {_contact(territory)}</p>\n    "
    return (
        f'\n  <li class="card">\n    <h3>{escape(aid.name)}\n      {_badge(result)}\n    </h3>\n'
        f"    <p>{facts}</p>\n    <ul>{reasons}</ul>\n    {unknown}\n  </li>\n  "
    )


def eligibility_html(results: Sequence[AidEligibility], territory: Territory) -> SafeString:
    """What `{% include "installations/_eligibility.html" with results=… %}` writes."""
    if not results:
        empty = _("Le territoire n'a pas encore publié d'aide à l'installation.")
        return mark_safe(f"\n<p>{empty}</p>\n\n")  # noqa: S308 (escaped above)
    notice = _("Le portail vous informe ; c'est le financeur de chaque aide qui décide de l'accorder.")
    cards = "".join(_card(result, territory) for result in results)
    return mark_safe(f'\n<p>{notice}</p>\n<ul class="card-list">\n  {cards}\n</ul>\n\n')  # noqa: S308 (escaped above)
