"""The follow-ups after settlement (1, 3 and 5 years): the professional is asked first, directly.

When a follow-up falls due, the professional gets an e-mail with a signed link: "exercez-vous
toujours sur le territoire ?". Their answer records the follow-up (the team is told). The team is
reminded only when no answer came within FOLLOW_UP_ANSWER_DAYS, or when nobody could be asked
(reminders.follow_ups_remind_due); a coordinator may record the follow-up at any time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from installations.enums import EventKind
from installations.models import FollowUp
from installations.services.links import reverse_or_empty
from installations.services.notify import notify_team
from installations.services.timeline import record
from portal.models import Territory
from portal.notifications.services import notify, notify_address

TOKEN_SALT = "installations.follow-up"  # noqa: S105 (a signing salt, not a secret)
# The link stays valid well past the team's reminder: a late answer is still welcome.
TOKEN_MAX_AGE = datetime.timedelta(days=120)
ASKED_KIND = "installations.follow_up_question"
ANSWERED_KIND = "installations.follow_up_answered"


def answer_days() -> int:
    """Days the professional has to answer before the team is reminded."""
    return int(getattr(settings, "FOLLOW_UP_ANSWER_DAYS", 21))


def follow_up_token(follow_up: FollowUp) -> str:
    return signing.dumps({"f": follow_up.pk, "t": follow_up.territory_id}, salt=TOKEN_SALT, compress=True)


def follow_up_from_token(token: str, *, territory: Territory) -> FollowUp | None:
    """The follow-up a link names, in this territory, or None (tampered, expired, elsewhere)."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or data.get("t") != territory.pk or not isinstance(data.get("f"), int):
        return None
    follow_ups = FollowUp.objects.for_territory(territory).select_related("case", "territory")
    return follow_ups.filter(pk=data["f"]).first()


def answer_link(follow_up: FollowUp) -> str:
    from portal.notifications.emails import absolute_url

    path = reverse_or_empty(
        "installations:follow_up_answer", territory_slug=follow_up.territory.slug, token=follow_up_token(follow_up)
    )
    return absolute_url(path)


@transaction.atomic
def follow_ups_ask_due(*, territory: Territory, today: datetime.date | None = None) -> int:
    """Asks each professional whose follow-up fell due, once: an e-mail with the answer link (to
    their account when they have one, else to the address of their request)."""
    today = today or timezone.localdate()
    follow_ups = list(
        FollowUp.objects.for_territory(territory)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("territory", "case__applicant")
        .filter(due_date__lte=today, done_at__isnull=True, asked_at__isnull=True)
        .exclude(case__applicant_email="")
    )
    now = timezone.now()
    for follow_up in follow_ups:
        case = follow_up.case
        link = answer_link(follow_up)
        subject = _("Exercez-vous toujours sur le territoire ?")
        text = ngettext(
            "Bonjour,\n\nIl y a %(years)s an, le guichet unique santé vous a accompagné dans votre installation "
            "(demande %(reference)s). Exercez-vous toujours sur le territoire ? Votre réponse, en un clic, aide les "
            "élus à savoir si l'accompagnement porte ses fruits :\n%(link)s\n\nMerci !",
            "Bonjour,\n\nIl y a %(years)s ans, le guichet unique santé vous a accompagné dans votre installation "
            "(demande %(reference)s). Exercez-vous toujours sur le territoire ? Votre réponse, en un clic, aide les "
            "élus à savoir si l'accompagnement porte ses fruits :\n%(link)s\n\nMerci !",
            follow_up.years,
        ) % {"years": follow_up.years, "reference": case.reference, "link": link}
        if case.applicant is not None and case.applicant.is_active:
            notify(territory=territory, recipients=[case.applicant], kind=ASKED_KIND, subject=subject, body=text)
        else:
            notify_address(
                territory=territory, email_address=case.applicant_email, kind=ASKED_KIND, subject=subject, body=text
            )
        record(
            case,
            actor=None,
            kind=EventKind.FOLLOW_UP_ASKED,
            summary=ngettext(
                "Suivi à %(years)s an : question envoyée au professionnel",
                "Suivi à %(years)s ans : question envoyée au professionnel",
                follow_up.years,
            )
            % {"years": follow_up.years},
        )
    FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(asked_at=now)
    return len(follow_ups)


@transaction.atomic
def follow_up_answer(*, follow_up: FollowUp, still_practising: bool, comment: str = "") -> FollowUp:
    """The professional's own answer, through the signed link (no account needed)."""
    locked = FollowUp.objects.select_for_update().select_related("case", "territory").get(pk=follow_up.pk)
    if locked.done_at is not None:
        raise ValidationError(_("Ce suivi est déjà enregistré : merci, il n'y a plus rien à faire."))
    locked.done_at = timezone.now()
    locked.still_practising = still_practising
    locked.answered_by_professional = True
    locked.comment = comment.strip()
    locked.save(update_fields=["done_at", "still_practising", "answered_by_professional", "comment"])
    answer = _("exerce toujours sur le territoire") if still_practising else _("n'exerce plus sur le territoire")
    summary = ngettext(
        "Suivi à %(years)s an : le professionnel répond qu'il %(answer)s",
        "Suivi à %(years)s ans : le professionnel répond qu'il %(answer)s",
        locked.years,
    ) % {"years": locked.years, "answer": answer}
    record(locked.case, actor=None, kind=EventKind.FOLLOW_UP_DONE, summary=summary, still_practising=still_practising)
    notify_team(
        locked.case,
        actor=None,
        kind=ANSWERED_KIND,
        subject=ngettext(
            "Demande %(reference)s : réponse au suivi à %(years)s an",
            "Demande %(reference)s : réponse au suivi à %(years)s ans",
            locked.years,
        )
        % {"reference": locked.case.reference, "years": locked.years},
        body=summary + (f"\n\n{locked.comment}" if locked.comment else ""),
    )
    return locked
