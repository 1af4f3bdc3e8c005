from functools import partial
from urllib.parse import urlencode

from django.conf import settings

from portal.privacy.selectors import footer_links, privacy_url


def portal(request):
    territory = getattr(request, "territory", None)
    return {
        "current_territory": territory,
        "brand_colour": territory.main_colour if territory else "#1d4f91",
        "debug_banner": settings.DEBUG,
        # On a territory's site, signing in or up brings the person back to the page they were reading
        # (allauth ignores a `next` outside the portal).
        "account_next": f"?{urlencode({'next': request.get_full_path()})}" if territory else "",
        # Called by the template only where a footer or a form's data notice is written.
        "legal_links": partial(footer_links, territory),
        "privacy_url": partial(privacy_url, territory),
    }
