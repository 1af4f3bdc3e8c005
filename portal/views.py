from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from portal import selectors, services
from portal.forms import IdentityForm, ProfessionalProfileForm
from portal.homes import homes_for
from portal.models import ProfessionalProfile
from portal.public_cache import public_page


def landing(request):
    return render(request, "portal/landing.html", {"territories": selectors.active_territories()})


@public_page
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


@login_required
def home(request):
    """After sign-in: the page of the person's role (portal/homes.py), or the choice between them."""
    homes = homes_for(request.user)
    if not homes:
        return redirect("portal:personal_space")
    if len(homes) == 1:
        return redirect(homes[0].url)
    return render(request, "portal/home_choice.html", {"homes": homes})


# Browsers and home screens ask for these at the root whatever the page says; the files are static.
ROOT_ICONS = {"favicon.ico": "images/favicon.ico", "apple-touch-icon.png": "images/apple-touch-icon.png"}


def root_icon(request, name):
    response = redirect(static(ROOT_ICONS[name]), permanent=True)
    response["Cache-Control"] = "public, max-age=86400"
    return response
