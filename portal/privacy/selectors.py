"""Reads of portal.privacy: a territory's legal notice (saved or its defaults) and the retention
table the data page shows (the same settings the purge job applies)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.enums import Role
from portal.hooks import retention_rules
from portal.models import Membership, Territory
from portal.privacy.enums import AccessibilityStatus
from portal.privacy.models import LegalNotice
from portal.privacy.services import retention_days


def legal_notice_for(territory: Territory) -> LegalNotice:
    """The territory's notice; an unsaved one (every default) while its manager wrote none."""
    notice = LegalNotice.objects.for_territory(territory).first()
    if notice is None:
        notice = LegalNotice(territory=territory)
    notice.territory = territory  # the request's object: no second read for the defaults
    return notice


def partner_organisations(territory: Territory) -> list[str]:
    """The organisations the team may refer a need to (those whose referents hold the partner role):
    the data page names them among the recipients."""
    names = (
        Membership.objects.for_territory(territory)
        .filter(role=Role.PARTNER, organisation__isnull=False)
        .values_list("organisation__name", flat=True)
        .order_by("organisation__name")
        .distinct()
    )
    return list(names)


def duration_text(days: int) -> str:
    """365 -> "1 an", 730 -> "2 ans", 180 -> "6 mois", 30 -> "30 jours"."""
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    if days % 30 == 0 and days >= 60:
        return _("%(count)d mois") % {"count": days // 30}
    return ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}


@dataclass(frozen=True)
class RetentionRow:
    key: str
    label: Any
    outcome: Any
    duration: str


def retention_table() -> list[RetentionRow]:
    """What the data page states: every declared rule with its duration, and the request drafts kept
    in the session (SESSION_COOKIE_AGE of inactivity; portal.tasks.sessions_clear_expired deletes
    expired sessions every night)."""
    minutes = settings.SESSION_COOKIE_AGE // 60
    return [
        RetentionRow(
            key="sessions",
            label=_("Brouillon d'une demande en cours de saisie et session de connexion"),
            outcome=_("effacés"),
            duration=ngettext("%(count)d minute d'inactivité", "%(count)d minutes d'inactivité", minutes)
            % {"count": minutes},
        ),
        *(
            RetentionRow(
                key=rule.key,
                label=rule.label,
                outcome=rule.outcome,
                duration=duration_text(retention_days(rule.key)),
            )
            for rule in retention_rules()
        ),
    ]


def accessibility_status_cache_key(territory_id: int) -> str:
    return f"privacy:a11y-status:{territory_id}"


def accessibility_status(territory: Territory | None) -> str:
    """The RGAA status the footer states on every page; a territory's is cached (no query per page),
    dropped when its manager saves the notice."""
    if territory is None:
        status: str = settings.LEGAL_ACCESSIBILITY_STATUS
    else:
        status = cache.get_or_set(  # type: ignore[assignment]  # the callable always answers a value
            accessibility_status_cache_key(territory.pk),
            lambda: (
                LegalNotice.objects.for_territory(territory).values_list("accessibility_status", flat=True).first()
                or AccessibilityStatus.NONE
            ),
            timeout=24 * 3600,
        )
    return str(AccessibilityStatus(status).label)


@dataclass(frozen=True)
class FooterLink:
    label: str
    url: str


def footer_links(territory: Territory | None) -> list[FooterLink]:
    """The legal pages every footer links: the territory's, or the national ones."""
    if territory is None:
        names, kwargs = ("national_legal_notice", "national_privacy", "national_accessibility"), {}
    else:
        names, kwargs = ("legal_notice", "privacy", "accessibility"), {"territory_slug": territory.slug}
    legal, privacy, accessibility = (reverse(f"privacy:{name}", kwargs=kwargs) for name in names)
    return [
        FooterLink(_("Mentions légales"), legal),
        FooterLink(_("Données personnelles"), privacy),
        FooterLink(_("Accessibilité : %(status)s") % {"status": accessibility_status(territory)}, accessibility),
    ]


def privacy_url(territory: Territory | None) -> str:
    """The data page a form's short notice links."""
    if territory is None:
        return reverse("privacy:national_privacy")
    return reverse("privacy:privacy", kwargs={"territory_slug": territory.slug})
