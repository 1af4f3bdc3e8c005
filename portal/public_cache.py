"""The shared cache of anonymous public pages: a territory's home, its aids, its training offers, its
prevention agenda, as every visitor without a session sees them.

Every anonymous visitor of a territory sees the same page for the same address, so a page rendered
once serves the next visitors of that address, whoever they are. Only pages marked `@public_page`
are considered, and only for a GET or HEAD **without a session cookie** (no signed-in person, no
anonymous session carrying messages or a request's draft). A signed-in person never reads nor
writes this cache. The key is the scheme, host, path, the query with its parameters in a fixed
order, the language and the day.

A rendered page is stored only when it is a 200 with a body, no cookie but the territory's identity
(`remember_identity`, set again on each page served from the cache), no CSRF token used (a page with
a form that posts is never stored), no `private`/`no-store`/`no-cache`, no `Vary` beyond `Cookie`
and `Accept-Language`, no message, no per-view CSP change, and for an anonymous user.

Stale pages: each territory has a public version (a random token) and the portal one more; a page
is stored with the versions it was rendered under, and served only while they are current (read in
the same round trip). Saving or deleting a row of a model that public pages show (each app names
them in its hooks, `AppHooks.public_models`: aids, offers, events, legal notices…) gives its
territory a new version (at once and again after the commit, as `installations.list_cache` does);
what staff write all day and no public page shows (cases, the access log, notifications) does not; the territory, its
communes, communes, zonings and an import of zonings give the portal a new one. Pages also expire
after `TIMEOUT` seconds and at midnight (the day is in the key): what depends on the time alone
("à venir", places left after a registration made outside the ORM) is at most that old.

CSP: the site's frame carries the request's nonce (`<style nonce>`). The nonce is replaced by a
marker in the stored page and by the new request's own nonce when served, so the page always
matches the header the CSP middleware writes for that request.

Redis down or hung: the default cache (portal/cache.py) turns failures into misses; pages are
rendered as if there were no cache.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re

from portal.tenancy.middleware import IDENTITY_COOKIE, remember_identity

F = TypeVar("F", bound=Callable[..., Any])

TIMEOUT = 180
PREFIX = "public-pages:"
GLOBAL_VERSION_KEY = PREFIX + "version"
# Never in a rendered page: escaping turns every "<" of text into "&lt;".
NONCE_MARKER = b"<csp-nonce/>"
ALLOWED_VARY = {"cookie", "accept-language"}
# Headers the cache sets again, or the outer middleware does.
_NOT_STORED = {"content-length", "set-cookie"}

# Per process: the territory a slug was last rendered for. A slug only moves to another territory
# when a territory is saved or deleted, which changes the portal's version read with each page.
_territory_ids: dict[str, int] = {}


def public_page(view: F) -> F:
    """Marks a territory's public page as one the shared cache may keep for anonymous visitors."""
    view.public_page_cache = True  # type: ignore[attr-defined]
    return view


# --- versions ---------------------------------------------------------------------------------


def _version_key(territory_id: int) -> str:
    return f"{PREFIX}version:{territory_id}"


def _new_version(key: str) -> None:
    def store() -> None:
        cache.set(key, uuid.uuid4().hex, None)

    store()
    transaction.on_commit(store)


def changed(territory_id: int | None) -> None:
    """Something a public page of the territory may show changed: its stored pages are stale."""
    if territory_id is not None:
        _new_version(_version_key(territory_id))


def changed_everywhere() -> None:
    """Something every territory's pages may show (a territory, a commune, a zoning) changed."""
    _new_version(GLOBAL_VERSION_KEY)


# --- the middleware ---------------------------------------------------------------------------


def _page_key(request: HttpRequest, language: str) -> str:
    query = sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True), key=lambda p: p[0])
    address = f"{request.scheme}://{request.get_host()}{request.path_info}?{urlencode(query)}"
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{address}|{language}|{day}".encode()).hexdigest()
    return f"{PREFIX}page:{digest}"


def _cacheable_slug(request: HttpRequest) -> str | None:
    """The territory slug of a request the cache may answer or store, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if not getattr(match.func, "public_page_cache", False):
        return None
    return match.kwargs.get("territory_slug")


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if request.method != "GET" or response.status_code != 200 or not isinstance(response, HttpResponse):
        return False
    if any(name != IDENTITY_COOKIE for name in response.cookies):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page used a CSRF token: it holds a form that posts
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    control = {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", "")) if d}
    if control & {"private", "no-store", "no-cache"}:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if not vary <= ALLOWED_VARY:
        return False
    # A view's own CSP (django-csp's decorators) would not be applied to the stored copy.
    return not any(getattr(response, name, None) is not None for name in _CSP_ATTRIBUTES)


_CSP_ATTRIBUTES = (
    "_csp_exempt",
    "_csp_exempt_ro",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class PublicPageCacheMiddleware:
    """Answers an anonymous visitor's public page from the shared cache, or stores it once rendered.

    Placed after the CSP and security middleware (their headers are written on every answer, with a
    fresh nonce) and before the session's: a page served from the cache reads no session, user,
    territory nor anything else from the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        slug = _cacheable_slug(request)
        if slug is None:
            return self.get_response(request)
        territory_id = _territory_ids.get(slug)
        if territory_id is None:
            # The first page of this territory in this process: its versions could not be read
            # before rendering, so the page is not stored (a change made meanwhile would be hidden).
            response = self.get_response(request)
            self._learn(request, slug)
            return response
        key = _page_key(request, translation.get_language_from_request(request))
        version_key = _version_key(territory_id)
        found = cache.get_many([key, version_key, GLOBAL_VERSION_KEY])
        current = (territory_id, found.get(version_key, "0"), found.get(GLOBAL_VERSION_KEY, "0"))
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 5 and entry[:3] == current:
            return self._answer(request, slug, headers=entry[3], body=entry[4])

        response = self.get_response(request)
        if self._learn(request, slug) != territory_id or not _storable(request, response):
            return response
        assert isinstance(response, HttpResponse)
        body = response.content
        if NONCE_MARKER in body:
            return response
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str):
            body = body.replace(nonce.encode(), NONCE_MARKER)
        headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
        # Under the versions read before rendering: a change made meanwhile makes this copy stale.
        cache.set(key, (*current, headers, body), TIMEOUT)
        return response

    @staticmethod
    def _learn(request: HttpRequest, slug: str) -> int | None:
        territory = getattr(request, "territory", None)
        if territory is None or territory.slug != slug:
            return None
        _territory_ids[slug] = territory.pk
        return territory.pk

    @staticmethod
    def _answer(request: HttpRequest, slug: str, *, headers: list[tuple[str, str]], body: bytes) -> HttpResponse:
        if NONCE_MARKER in body:
            body = body.replace(NONCE_MARKER, str(request.csp_nonce).encode())  # type: ignore[attr-defined]
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        remember_identity(request, response, slug)
        return response


# --- receivers (connected by PortalConfig.ready) --------------------------------------------------

# The models whose rows public pages show (filled by connect_receivers from the apps' hooks).
_shown: set[type[Model]] = set()


def _scoped_row_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    changed(instance.territory_id)


def _territory_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    # Its pages, and any page whose slug it took or gave up (see `_territory_ids`).
    changed(instance.pk)
    changed_everywhere()


def _reference_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    changed_everywhere()


def _user_changed(sender: type, instance: Any, created: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    # A new account belongs to no team yet; signing in writes last_login only, which no page shows.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    from portal.models import Membership

    for territory_id in Membership.objects.filter(user=instance).values_list("territory_id", flat=True).distinct():
        changed(territory_id)


def _many_to_many_changed(
    sender: type, instance: Any, action: str, model: type[Model], pk_set: set[Any] | None, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    from portal.models import Commune, Territory

    if type(instance) in _shown:
        changed(instance.territory_id)
    elif isinstance(instance, (Territory, Commune)) or issubclass(model, (Territory, Commune)):
        changed_everywhere()
    elif model in _shown:
        if not pk_set:  # clear(): which rows were linked is no longer known
            changed_everywhere()
            return
        territory_ids = model._base_manager.filter(pk__in=pk_set).values_list("territory_id", flat=True)
        for territory_id in set(territory_ids):
            changed(territory_id)


def shown_models() -> set[type[Model]]:
    """The territory-scoped models public pages show, as the apps declare them (portal.hooks)."""
    from portal.hooks import declared_hooks

    return {config.get_model(name) for config, hooks in declared_hooks() for name in hooks.public_models}


def connect_receivers() -> None:
    """The save and delete of a row of a model public pages show, of a territory, a commune or a
    zoning, the people of a team and the many-to-many links of these models make pages stale."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from portal.models import Commune, CommuneZoning, Territory, User

    _shown.update(shown_models())
    receivers: list[tuple[type[Model], Callable[..., None]]] = [(model, _scoped_row_changed) for model in _shown]
    receivers += [(Commune, _reference_changed), (CommuneZoning, _reference_changed), (Territory, _territory_changed)]
    for model, receiver in receivers:
        uid = f"public_cache:{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ":delete")
    post_save.connect(_user_changed, sender=User, dispatch_uid="public_cache:user:save")
    m2m_changed.connect(_many_to_many_changed, dispatch_uid="public_cache:m2m")
