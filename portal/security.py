"""Security rules that allauth has no setting for."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFAMiddleware:
    """Staff must enrol a second factor (TOTP) before the admin lets them in.

    allauth has no setting that makes MFA mandatory; `STAFF_MFA_REQUIRED` is on everywhere but
    the local demo (config.settings.dev).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.STAFF_MFA_REQUIRED
            and request.path.startswith("/admin/")
            and user.is_authenticated
            and user.is_staff
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _("Pour accéder à l'administration, activez d'abord la double authentification (application TOTP)."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
