"""A signed-in student's pages: register a placement on an offer, see their placements and
bookings, ask for housing. Supervisors and host-site managers see the placements at their sites.
Another person's placement, or another territory's, answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from training import selectors
from training.enums import BookingStatus
from training.forms import HousingRequestForm, PlacementForm
from training.semesters import Semester
from training.services import housing, placements


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
def placement_register(request: HttpRequest, territory_slug: str, pk: int) -> HttpResponse:
    """The form for a signed-in student; a visitor is shown the offer and how to sign in first (the
    page is public, like the offer itself)."""
    territory = request.territory  # type: ignore[attr-defined]
    offer = selectors.public_offers(territory).filter(pk=pk).first()
    if offer is None:
        raise Http404(_("Cette offre de stage n'existe pas."))
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "training/placement_form.html", {"territory": territory, "offer": offer, "form": None})
    semester = Semester.from_code(offer.semester)
    initial = {"start_date": semester.start, "end_date": semester.end}
    form = PlacementForm(request.POST or None, offer=offer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement = placements.placement_register(actor=request.user, offer=offer, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Votre stage est enregistré : le territoire sait quand vous arrivez."))
            if placement.needs_housing:
                return redirect("training:housing_request", territory_slug=territory.slug, pk=placement.pk)
            return redirect("training:my_placements", territory_slug=territory.slug)
    return render(request, "training/placement_form.html", {"territory": territory, "offer": offer, "form": form})


@login_required
@require_GET
def my_placements(request: HttpRequest, territory_slug: str) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    rows = selectors.student_placements(user=request.user, territory=territory)
    if not rows:
        messages.info(request, _("Vous n'avez pas encore déclaré de stage sur ce territoire. Choisissez une offre."))
        return redirect("training:offer_list", territory_slug=territory.slug)
    return render(request, "training/my_placements.html", {"territory": territory, "placements": rows})


@login_required
@require_http_methods(["GET", "POST"])
def housing_request(request: HttpRequest, territory_slug: str, pk: int) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    placement = selectors.student_placement(user=request.user, territory=territory, pk=pk)
    if placement is None:
        raise Http404(_("Ce stage n'existe pas."))
    initial = {"start_date": placement.start_date, "end_date": placement.end_date}
    form = HousingRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            booking = housing.booking_request(actor=request.user, placement=placement, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if booking.status == BookingStatus.WAITING:
                messages.info(
                    request,
                    _(
                        "Aucun logement n'est libre à ces dates : votre demande est sur la liste d'attente. "
                        "Le territoire vous prévient dès qu'une place se libère."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Logement réservé : %(unit)s, du %(start)s au %(end)s.")
                    % {
                        "unit": booking.unit,
                        "start": booking.start_date.strftime("%d/%m/%Y"),
                        "end": booking.end_date.strftime("%d/%m/%Y"),
                    },
                )
            return redirect("training:my_placements", territory_slug=territory.slug)
    return render(request, "training/housing_form.html", {"territory": territory, "placement": placement, "form": form})


@login_required
@require_GET
def site_placements(request: HttpRequest, territory_slug: str) -> HttpResponse:
    """Supervisors and host-site managers: who comes to their sites, when. Nobody else (404)."""
    territory = request.territory  # type: ignore[attr-defined]
    sites = selectors.sites_of(user=request.user, territory=territory)
    site_list = list(sites)
    if not site_list:
        raise Http404(_("Vous n'êtes maître de stage ni responsable d'aucun lieu de stage de ce territoire."))
    return render(
        request,
        "training/site_placements.html",
        {"territory": territory, "sites": site_list, "placements": selectors.site_placements(sites=sites)},
    )


@login_required
@require_POST
def placement_cancel(request: HttpRequest, territory_slug: str, pk: int) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    placement = selectors.student_placement(user=request.user, territory=territory, pk=pk)
    if placement is None:
        raise Http404(_("Ce stage n'existe pas."))
    placements.placement_cancel(actor=request.user, placement=placement)
    messages.success(request, _("Votre déclaration de stage est retirée, et le logement réservé pour ce stage libéré."))
    return redirect("training:offer_list", territory_slug=territory.slug)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, territory_slug: str, pk: int) -> HttpResponse:
    territory = request.territory  # type: ignore[attr-defined]
    booking = selectors.student_booking(user=request.user, territory=territory, pk=pk)
    if booking is None:
        raise Http404(_("Cette réservation n'existe pas."))
    housing.booking_cancel(actor=request.user, booking=booking)
    messages.success(request, _("Votre réservation de logement est annulée."))
    return redirect("training:my_placements", territory_slug=territory.slug)
