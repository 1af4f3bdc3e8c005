"""Security rules that allauth has no setting for."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# What a staff account without a second factor may still open: the pages that enrol one (allauth
# asks for the password again first), confirming an e-mail address, and signing out.
MFA_ENROLMENT_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "account_confirm_email",
    "account_email_verification_sent",
    "healthz",
}


def _may_open_without_mfa(request) -> bool:
    if request.path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 shows nothing
    return match.url_name in MFA_ENROLMENT_URL_NAMES or (match.url_name or "").startswith("mfa_")


class StaffMFAMiddleware:
    """Staff must enrol a second factor (TOTP) before anything else: the admin, but also the
    notifications (applicants' messages), the governance pages and the documents they may read.

    allauth has no setting that makes MFA mandatory; `STAFF_MFA_REQUIRED` is on everywhere but
    the local demo (config.settings.dev).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.STAFF_MFA_REQUIRED
            and user.is_authenticated
            and user.is_staff
            and not _may_open_without_mfa(request)
            and not has_totp(user)
        ):
            if request.path.startswith("/admin/"):
                message = _(
                    "Pour accéder à l'administration, activez d'abord la double authentification (application TOTP)."
                )
            else:
                message = _(
                    "Votre compte fait partie d'une équipe : activez d'abord la double authentification "
                    "(application TOTP) pour ouvrir les pages du portail."
                )
            messages.warning(request, message)
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuses, from its announced length and before reading it, a body the portal would never accept.

    Django only bounds the form fields it parses in memory (`DATA_UPLOAD_MAX_MEMORY_SIZE`); a file
    upload is received in full — 200 MB written to a temporary file — before a form says it is too
    big. The biggest upload the portal accepts is 10 MB: `REQUEST_BODY_MAX_SIZE` leaves room for
    that, and a body without files is held to `DATA_UPLOAD_MAX_MEMORY_SIZE`. A 413 page says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.REQUEST_BODY_MAX_SIZE if is_upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            response = too_big(request, limit)
            # The unread body stays in the connection: the client must not send another request on it.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def too_big(request, limit):
    return render(request, "413.html", {"limit_mb": round(limit / (1024 * 1024), 1)}, status=413)


def bad_request(request, exception):
    """handler400: the form fields Django refuses to parse past its limits get the 413 page too."""
    if isinstance(exception, RequestDataTooBig):
        return too_big(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return render(request, "400.html", status=400)


class QueryStringNulMiddleware:
    """Drops NUL characters from the query string's names and values, before any view reads them.

    PostgreSQL refuses NUL in text: `?q=%00` or `?term=%00` reaching a search (admin change lists
    and autocompletes, the case list, the public filters) raised a 500. Stripping them here covers
    every search at once, Django's own admin views included; form fields already refuse NUL in
    what is posted (ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                cleaned.setlist(name.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Nothing answered to a signed-in person is stored by a browser or a shared cache.

    Their space, their cases and messages, the documents they download, the admin: a page seen
    signed in is personal, even a public one (it shows the person's name in the header). One rule
    in one place instead of a decorator to remember on each view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
