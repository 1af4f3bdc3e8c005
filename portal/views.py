from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import selectors, services
from portal.forms import IdentityForm, ProfessionalProfileForm
from portal.models import ProfessionalProfile


def landing(request):
    return render(request, "portal/landing.html", {"territories": selectors.active_territories()})


def territory_home(request, territory_slug):
    territory = request.territory
    return render(
        request,
        "portal/territory_home.html",
        {"territory": territory, "entry_points": selectors.territory_entry_points(territory)},
    )


@login_required
def personal_space(request):
    return render(
        request,
        "portal/personal_space.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "profile": ProfessionalProfile.objects.filter(user=request.user).first(),
        },
    )


@login_required
def profile_edit(request):
    profile = ProfessionalProfile.objects.filter(user=request.user).first()
    identity_form = IdentityForm(request.POST or None, instance=request.user, prefix="identity")
    profile_form = ProfessionalProfileForm(request.POST or None, instance=profile, prefix="profile")
    if request.method == "POST":
        if identity_form.is_valid() and profile_form.is_valid():
            services.profile_update(
                actor=request.user, identity=identity_form.cleaned_data, profile=profile_form.cleaned_data
            )
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("portal:personal_space")
        messages.error(request, _("Le profil n'a pas été enregistré : corrigez les champs signalés."))
    return render(request, "portal/profile_form.html", {"identity_form": identity_form, "profile_form": profile_form})


@never_cache
@require_GET
def healthz(request):
    """State of the database and the broker, for load balancers and docker-compose."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    checks["broker"] = _broker_state()
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def _broker_state():
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL:
        return "in-process"
    try:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
