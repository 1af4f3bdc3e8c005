"""The e-mails sent to an applicant who has no account yet: the confirmation of an anonymous
request, and the news of their case (without its content). Sent after the commit or by the sweep."""

from __future__ import annotations

import datetime
import logging

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from installations.enums import CaseStatus
from installations.models import Case
from installations.services.links import reverse_or_empty

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "installations.case-confirmation"
# How long an e-mail confirmation link stays valid.
CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)


def case_confirmation_token(case: Case) -> str:
    """The token of the e-mail confirmation link (signed; the case's nonce makes it single-case)."""
    return signing.dumps({"c": case.pk, "n": case.confirmation_nonce}, salt=CONFIRMATION_SALT, compress=True)


def case_send_confirmation(*, case: Case, link: str = "") -> None:
    """Sends the confirmation e-mail of an anonymous request after the commit, without the request
    ever waiting for the broker or the mail server (see `tasks.case_confirmation_send`; the periodic
    sweep sends those whose publish failed). `link` is the absolute confirmation URL; when empty it
    is built from PORTAL_BASE_URL."""
    if case.confirmed_at is not None:
        return
    from installations import tasks

    ids = (case.territory_id, case.pk)
    transaction.on_commit(lambda: tasks.publish_in_background(tasks.case_confirmation_send, *ids, link), robust=True)


def confirmation_link(case: Case) -> str:
    from portal.notifications.emails import absolute_url

    path = reverse_or_empty(
        "installations:confirm", territory_slug=case.territory.slug, token=case_confirmation_token(case)
    )
    return absolute_url(path)


def case_confirmation_deliver(*, territory_id: int, case_id: int, link: str = "") -> bool:
    """Worker side: claims the case's confirmation e-mail (at most once) and sends it. On an error
    from the mail server the claim is released so that the sweep tries again."""
    from django.core.mail import EmailMessage

    from portal.notifications.emails import subject_prefix

    now = timezone.now()
    cases = Case.objects.filter(territory_id=territory_id)
    claimed = cases.filter(pk=case_id, confirmation_sent_at__isnull=True, confirmed_at__isnull=True).update(
        confirmation_sent_at=now
    )
    if not claimed:
        return False
    case = cases.select_related("territory").get(pk=case_id)
    link = link or confirmation_link(case)
    days = CONFIRMATION_MAX_AGE.days
    body = _(
        "Bonjour,\n\nVous avez déposé une demande d'accompagnement à l'installation (référence %(reference)s) "
        "auprès du guichet unique santé de %(territory)s.\n\nPour la confirmer, ouvrez ce lien dans les "
        "%(days)s jours :\n%(link)s\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
        "elle sera supprimée."
    ) % {"reference": case.reference, "territory": case.territory.name, "days": days, "link": link}
    message = EmailMessage(
        subject=subject_prefix(case.territory)
        + _("Confirmez votre demande %(reference)s") % {"reference": case.reference},
        body=body,
        to=[case.applicant_email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except Exception:
        cases.filter(pk=case_id, confirmation_sent_at=now).update(confirmation_sent_at=None)
        logger.exception("confirmation e-mail of case %s not sent", case_id)
        return False
    return True


def _queue_applicant_news(case: Case) -> None:
    """An applicant without an account hears of news by e-mail at their address (sent after the
    commit, or by the sweep), without the content: they sign in with that address to read it."""
    if case.confirmed_at is None or case.erased_at is not None:
        return
    updated = Case.objects.filter(pk=case.pk, applicant__isnull=True, applicant_news_since__isnull=True).update(
        applicant_news_since=timezone.now()
    )
    if updated:
        from installations import tasks

        ids = (case.territory_id, case.pk)
        transaction.on_commit(lambda: tasks.publish_in_background(tasks.applicant_news_send, *ids), robust=True)


def applicant_news_deliver(*, territory_id: int, case_id: int) -> bool:
    """Worker side: claims the pending news of an account-less applicant (at most once) and e-mails them."""
    from django.core.mail import EmailMessage

    from portal.notifications.emails import absolute_url, subject_prefix

    cases = Case.objects.filter(territory_id=territory_id)
    case = cases.select_related("territory").filter(pk=case_id, applicant_news_since__isnull=False).first()
    if case is None:
        return False
    claimed = cases.filter(pk=case_id, applicant_news_since=case.applicant_news_since, applicant__isnull=True).update(
        applicant_news_since=None
    )
    if not claimed:
        return False
    link = absolute_url(reverse_or_empty("installations:case_list", territory_slug=case.territory.slug))
    body = _(
        "Bonjour,\n\nIl y a du nouveau sur votre demande d'accompagnement %(reference)s auprès du guichet "
        "unique santé de %(territory)s.\n\nPour le lire et répondre, connectez-vous ou créez votre compte "
        "avec cette adresse e-mail (%(email)s) :\n%(link)s"
    ) % {"reference": case.reference, "territory": case.territory.name, "email": case.applicant_email, "link": link}
    message = EmailMessage(
        subject=subject_prefix(case.territory)
        + _("Du nouveau sur votre demande %(reference)s") % {"reference": case.reference},
        body=body,
        to=[case.applicant_email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except Exception:
        cases.filter(pk=case_id, applicant_news_since__isnull=True).update(
            applicant_news_since=case.applicant_news_since
        )
        logger.exception("news e-mail of case %s not sent", case_id)
        return False
    return True


def pending_news_ids(*, now: datetime.datetime | None = None) -> list[tuple[int, int]]:
    now = now or timezone.now()
    return list(
        Case.objects.filter(
            applicant__isnull=True,
            applicant_news_since__lte=now - datetime.timedelta(minutes=1),
            erased_at__isnull=True,
        ).values_list("territory_id", "pk")[:500]
    )


def unsent_confirmation_ids(*, now: datetime.datetime | None = None) -> list[tuple[int, int]]:
    """Anonymous requests whose confirmation e-mail has not gone out yet (for the sweep)."""
    now = now or timezone.now()
    return list(
        Case.objects.filter(
            status=CaseStatus.UNCONFIRMED,
            confirmed_at__isnull=True,
            confirmation_sent_at__isnull=True,
            erased_at__isnull=True,
            submitted_at__gte=now - CONFIRMATION_MAX_AGE,
            submitted_at__lte=now - datetime.timedelta(minutes=1),
        ).values_list("territory_id", "pk")[:500]
    )
