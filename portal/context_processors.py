from functools import partial
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils.functional import SimpleLazyObject, lazy

# Set on the territory's pages: the pages outside any territory (sign-in, sign-up, the personal
# space, a 404) keep the identity of the territory the person came from.
from portal.privacy.selectors import footer_links, privacy_url
from portal.tenancy.middleware import IDENTITY_COOKIE
from portal.validators import RESERVED_SLUGS

DEFAULT_COLOUR = "#1d4f91"


def _first_segment(path: str) -> str:
    return urlsplit(path or "").path.strip("/").split("/", 1)[0]


def identity_territory(request):
    """The territory whose colours, name and logo a page outside any territory shows: the one the
    `next` of a sign-in link leads back to, the one the (unknown) address starts with, else the last
    one visited. Only its public identity: scoping always reads `request.territory`."""
    from portal.models import Territory

    candidates = [
        # Never request.POST: an error page (413) must not read a body it refused.
        _first_segment(request.GET.get("next", "")),
        _first_segment(request.path),
        request.COOKIES.get(IDENTITY_COOKIE, ""),
    ]
    for slug in candidates:
        if slug and slug not in RESERVED_SLUGS and len(slug) <= 60 and slug.replace("-", "").isalnum():
            territory = Territory.objects.filter(slug=slug, is_active=True).first()
            if territory is not None:
                return territory
    return None


def portal(request):
    territory = getattr(request, "territory", None)
    # Outside a territory, looked up only if the page shows it (the admin's pages never do).
    identity = territory if territory is not None else SimpleLazyObject(lambda: identity_territory(request))
    return {
        "current_territory": identity,
        "brand_colour": lazy(lambda: identity.main_colour if identity else DEFAULT_COLOUR, str)(),
        "debug_banner": settings.DEBUG,
        # On a territory's site, signing in or up brings the person back to the page they were reading
        # (allauth ignores a `next` outside the portal).
        "account_next": f"?{urlencode({'next': request.get_full_path()})}" if territory else "",
        # Called by the template only where a footer or a form's data notice is written.
        "legal_links": partial(footer_links, territory),
        "privacy_url": partial(privacy_url, territory),
    }
