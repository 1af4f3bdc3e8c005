"""The three legal pages, public: a territory's (its notice, or the defaults of its record) or the
national ones."""

from django.conf import settings
from django.shortcuts import render

from portal import selectors as portal_selectors
from portal.privacy import selectors
from portal.privacy.enums import AccessibilityStatus
from portal.privacy.models import KNOWN_NON_ACCESSIBLE


def _context(request):
    territory = getattr(request, "territory", None)
    return {
        "territory": territory,
        "notice": selectors.legal_notice_for(territory) if territory is not None else None,
        "legal_publisher": settings.LEGAL_PUBLISHER,
        "legal_contact_email": settings.LEGAL_CONTACT_EMAIL,
        "legal_host": settings.LEGAL_HOST,
    }


def legal_notice(request, territory_slug=None):
    return render(request, "privacy/legal_notice.html", _context(request))


def privacy(request, territory_slug=None):
    context = _context(request)
    context["retention"] = selectors.retention_table()
    if context["territory"] is None:
        context["territories"] = portal_selectors.active_territories()
    else:
        context["partners"] = selectors.partner_organisations(context["territory"])
    return render(request, "privacy/privacy.html", context)


def accessibility(request, territory_slug=None):
    context = _context(request)
    notice = context["notice"]
    if notice is not None:
        context["accessibility_status"] = notice.get_accessibility_status_display()
        context["non_accessible"] = notice.non_accessible_items
        context["accessibility_contact"] = notice.effective_accessibility_contact
    else:
        context["accessibility_status"] = AccessibilityStatus(settings.LEGAL_ACCESSIBILITY_STATUS).label
        context["non_accessible"] = [str(item) for item in KNOWN_NON_ACCESSIBLE]
        context["accessibility_contact"] = settings.LEGAL_CONTACT_EMAIL
    return render(request, "privacy/accessibility.html", context)
