"""The e-mails sent to an applicant who has no account yet: the confirmation of an anonymous
request, and the news of their case (without its content).

Like every e-mail of the portal they go through the notifications outbox
(`portal.notifications.services.notify_address`): a row written in the caller's transaction, sent
after the commit at most once with retries, or by the outbox's periodic sweep when the publish was
lost. Nothing here talks to the broker or the mail server.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from installations.models import Case
from installations.services.links import reverse_or_empty
from portal.notifications.services import address_notifications_withdraw, notify_address

CONFIRMATION_SALT = "installations.case-confirmation"
# How long an e-mail confirmation link stays valid.
CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)

# A confirmation e-mail is sent again at most once a minute: a button, not a way to flood an inbox.
RESEND_INTERVAL = datetime.timedelta(minutes=1)

# The link of the news e-mail: an applicant without an account reads and answers the conversation
# of their case there, without signing in. Tied to the case's nonce (a corrected address ends it).
CONVERSATION_SALT = "installations.case-conversation"
CONVERSATION_MAX_AGE = datetime.timedelta(days=30)

CONFIRMATION_KIND = "installations.case_confirmation"
NEWS_KIND = "installations.applicant_news"


def _confirmation_subject(case: Case) -> str:
    return _("Confirmez votre demande %(reference)s") % {"reference": case.reference}


def _news_subject(case: Case) -> str:
    return _("Du nouveau sur votre demande %(reference)s") % {"reference": case.reference}


def case_confirmation_token(case: Case) -> str:
    """The token of the e-mail confirmation link (signed; the case's nonce makes it single-case)."""
    return signing.dumps({"c": case.pk, "n": case.confirmation_nonce}, salt=CONFIRMATION_SALT, compress=True)


@transaction.atomic
def case_send_confirmation(*, case: Case, link: str = "") -> None:
    """Puts the confirmation e-mail of an anonymous request in the outbox, once per case. Call it
    in the transaction that creates the case, so that neither exists without the other. `link` is
    the absolute confirmation URL; when empty it is built from PORTAL_BASE_URL."""
    if case.confirmed_at is not None:
        return
    claimed = Case.objects.filter(
        pk=case.pk, territory_id=case.territory_id, confirmation_sent_at__isnull=True, confirmed_at__isnull=True
    ).update(confirmation_sent_at=timezone.now())
    if not claimed:  # already queued (a second click on "send")
        return
    link = link or confirmation_link(case)
    days = CONFIRMATION_MAX_AGE.days
    body = _(
        "Bonjour,\n\nVous avez déposé une demande d'accompagnement à l'installation (référence %(reference)s) "
        "auprès du guichet unique santé %(of_territory)s.\n\nPour la confirmer, ouvrez ce lien dans les "
        "%(days)s jours :\n%(link)s\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
        "elle sera supprimée."
    ) % {"reference": case.reference, "of_territory": case.territory.of_name, "days": days, "link": link}
    notify_address(
        territory=case.territory,
        email_address=case.applicant_email,
        kind=CONFIRMATION_KIND,
        subject=_confirmation_subject(case),
        body=body,
    )


@transaction.atomic
def case_confirmation_resend(*, case: Case, email: str = "", link_for: Callable[[Case], str] | None = None) -> Case:
    """Sends the confirmation e-mail of an unconfirmed anonymous request again, to `email` when the
    applicant corrects their address. A corrected address gets a new link: the one sent to the
    wrong address stops working. `link_for(case)` builds the absolute link (default: PORTAL_BASE_URL).
    Refused (ValidationError, in French) once confirmed, or within a minute of the last sending."""
    case = Case.objects.select_for_update().get(pk=case.pk, territory_id=case.territory_id)
    if case.confirmed_at is not None or case.applicant_id is not None or case.erased_at is not None:
        raise ValidationError(_("Cette demande est déjà confirmée : il n'y a plus d'e-mail de confirmation à envoyer."))
    email = email.strip()
    if email:
        validate_email(email)
    now = timezone.now()
    if case.confirmation_sent_at and now - case.confirmation_sent_at < RESEND_INTERVAL:
        raise ValidationError(
            _("L'e-mail vient d'être envoyé : attendez une minute avant de le renvoyer."), code="too_soon"
        )
    fields = ["confirmation_sent_at"]
    if email and email.lower() != case.applicant_email.lower():
        case.applicant_email = email
        case.confirmation_nonce = secrets.token_hex(16)  # as new_confirmation_nonce: the old link dies
        fields += ["applicant_email", "confirmation_nonce"]
    case.confirmation_sent_at = None
    case.save(update_fields=fields)
    case_send_confirmation(case=case, link=link_for(case) if link_for else "")
    case.refresh_from_db(fields=["confirmation_sent_at"])
    return case


def confirmation_link(case: Case) -> str:
    from portal.notifications.emails import absolute_url

    path = reverse_or_empty(
        "installations:confirm", territory_slug=case.territory.slug, token=case_confirmation_token(case)
    )
    return absolute_url(path)


def conversation_token(case: Case, *, today: datetime.date | None = None) -> str:
    """Signed, with its last valid day rather than a timestamp: two news e-mails of the same day carry
    the same link, so the outbox still coalesces them."""
    until = (today or timezone.localdate()) + CONVERSATION_MAX_AGE
    payload = {"c": case.pk, "n": case.confirmation_nonce, "u": until.isoformat()}
    return signing.Signer(salt=CONVERSATION_SALT).sign_object(payload, compress=True)


def case_from_conversation_token(*, token: str, territory_id: int) -> Case:
    """The case a conversation link names, if the link is sound, recent, of this territory, and the
    case still has no account (then signing in is the way). ValidationError in French otherwise."""
    try:
        data = signing.Signer(salt=CONVERSATION_SALT).unsign_object(token)
        until = datetime.date.fromisoformat(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationError(_("Ce lien n'est pas valide."), code="invalid") from error
    if timezone.localdate() > until:
        raise ValidationError(
            _("Ce lien a expiré. Connectez-vous ou créez votre compte avec votre adresse e-mail pour répondre."),
            code="expired",
        )
    case = (
        Case.objects.filter(territory_id=territory_id, pk=data.get("c"), confirmation_nonce=data.get("n"))
        .select_related("territory")
        .first()
    )
    if case is None or case.erased_at is not None:
        raise ValidationError(_("Ce lien n'est pas valide."), code="invalid")
    if case.applicant_id is not None:
        raise ValidationError(
            _("Cette demande est rattachée à un compte : connectez-vous pour lire et répondre."), code="account"
        )
    return case


def conversation_link(case: Case) -> str:
    from portal.notifications.emails import absolute_url

    return absolute_url(
        reverse_or_empty(
            "installations:conversation", territory_slug=case.territory.slug, token=conversation_token(case)
        )
    )


def queue_applicant_news(case: Case) -> None:
    """An applicant without an account hears of news by e-mail at their address, without the
    content: they sign in with that address to read it. News arriving while such an e-mail is still
    waiting in the outbox adds no second one."""
    if case.confirmed_at is None or case.erased_at is not None or case.applicant_id is not None:
        return
    from portal.notifications.emails import absolute_url

    link = absolute_url(reverse_or_empty("installations:case_list", territory_slug=case.territory.slug))
    body = _(
        "Bonjour,\n\nIl y a du nouveau sur votre demande d'accompagnement %(reference)s auprès du guichet "
        "unique santé %(of_territory)s.\n\nPour le lire et répondre, sans compte, ouvrez ce lien (valable "
        "%(days)s jours ; ne répondez pas à cet e-mail, la réponse n'arriverait pas dans votre dossier) :\n"
        "%(conversation)s\n\nVous pouvez aussi vous connecter ou créer votre compte avec cette adresse "
        "e-mail (%(email)s) :\n%(link)s"
    ) % {
        "reference": case.reference,
        "of_territory": case.territory.of_name,
        "days": CONVERSATION_MAX_AGE.days,
        "conversation": conversation_link(case),
        "email": case.applicant_email,
        "link": link,
    }
    notify_address(
        territory=case.territory,
        email_address=case.applicant_email,
        kind=NEWS_KIND,
        subject=_news_subject(case),
        body=body,
        coalesce=True,
    )


def applicant_news_withdraw(case: Case) -> int:
    """The account now tells the applicant the news: a news e-mail not sent yet is withdrawn."""
    return address_notifications_withdraw(
        territory=case.territory,
        email_address=case.applicant_email,
        kinds=[NEWS_KIND],
        subjects=[_news_subject(case)],
    )


def applicant_mail_erase(case: Case) -> int:
    """Right to erasure: the case's e-mails to the applicant's address leave the outbox, sent or not
    (they hold the address and, for the confirmation, a link to the case). Call before the address
    itself is erased."""
    return address_notifications_withdraw(
        territory=case.territory,
        email_address=case.applicant_email,
        kinds=[CONFIRMATION_KIND, NEWS_KIND],
        subjects=[_confirmation_subject(case), _news_subject(case)],
        pending_only=False,
    )
