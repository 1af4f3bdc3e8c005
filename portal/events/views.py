"""The events on a territory's site (`/<territory_slug>/evenements/`) and a person's registrations
in their space (`/espace/inscriptions/`)."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.documents.notices import status_path
from portal.events import ics, selectors, services, tokens
from portal.events.forms import AnonymousRegistrationForm
from portal.events.invitations import event_ics, event_path, event_vevent
from portal.events.models import Event, Registration, validate_event_kind

KIND_MAX_LENGTH = Event._meta.get_field("kind").max_length


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _public_event_or_404(request, pk):
    event = selectors.public_event(territory=request.territory, pk=pk)
    if event is None:
        raise Http404(_("Cet événement n'existe pas."))
    return event


@require_GET
def event_list(request, territory_slug):
    return render(
        request,
        "events/event_list.html",
        {"territory": request.territory, "events": list(selectors.public_events(territory=request.territory))},
    )


def _detail_context(request, event, form=None):
    registration = selectors.registration_of(event=event, user=request.user)
    if registration is not None and not registration.is_active:
        registration = None
    return {
        "territory": request.territory,
        "event": event,
        "registration": registration,
        "position": selectors.waitlist_position(registration) if registration else None,
        "refusal": event.registration_refusal(),
        "may_organise": services.may_organise(request.user, event),
        "form": form
        if form is not None
        else (AnonymousRegistrationForm() if event.allow_anonymous and not request.user.is_authenticated else None),
    }


@require_http_methods(["GET", "POST"])
def event_detail(request, territory_slug, pk):
    event = _public_event_or_404(request, pk)
    if request.method == "GET":
        return render(request, "events/event_detail.html", _detail_context(request, event))

    if request.user.is_authenticated:
        try:
            registration = services.registration_create(actor=request.user, event=event, user=request.user)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            if registration.is_registered:
                messages.success(
                    request,
                    _(
                        "Votre inscription est enregistrée. "
                        "Un e-mail de confirmation vous est envoyé avec l'invitation."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "L'événement est complet : vous êtes sur la liste d'attente, en position %(position)d. "
                        "Si une place se libère, elle vous est attribuée automatiquement "
                        "et nous vous prévenons par e-mail."
                    )
                    % {"position": selectors.waitlist_position(registration)},
                )
        return redirect(event_path(event))

    if not event.allow_anonymous:
        return redirect_to_login(event_path(event))
    form = AnonymousRegistrationForm(request.POST)
    refusal = event.registration_refusal()
    if refusal:
        form.add_error(None, refusal)
    elif form.is_valid() and not _confirmation_allowed(event, form.cleaned_data["email"]):
        form.add_error(
            "email",
            _("Plusieurs e-mails de confirmation ont déjà été envoyés à cette adresse : réessayez dans une heure."),
        )
    if not form.is_valid():
        return render(request, "events/event_detail.html", _detail_context(request, event, form=form))
    services.registration_confirmation_send(
        event=event, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
    )
    return render(
        request,
        "events/check_email.html",
        {"territory": request.territory, "event": event, "email": form.cleaned_data["email"]},
    )


CONFIRMATIONS_PER_HOUR = 3


def _confirmation_allowed(event, email: str) -> bool:
    """At most a few confirmation e-mails per address and event an hour: the form must not become a
    way to send e-mails to strangers. (Kept in the shared cache, Redis in production.)"""
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    key = f"events:confirm:{event.territory_id}:{event.pk}:{digest}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= CONFIRMATIONS_PER_HOUR
    except ValueError:  # expired between add and incr
        return True


@require_http_methods(["GET", "POST"])
def registration_confirm(request, territory_slug, token):
    """The link of the confirmation e-mail: a page with a button (a GET never registers anyone:
    mail scanners open links)."""
    pending = tokens.read_confirm_token(token)
    event = selectors.public_event(territory=request.territory, pk=pending.event_id) if pending else None
    if event is None:
        return render(
            request,
            "events/link_invalid.html",
            {"territory": request.territory, "error": _("Ce lien n'est pas valide ou a expiré (il vaut 3 jours).")},
            status=404,
        )
    context = {"territory": request.territory, "event": event, "pending": pending}
    if request.method == "POST":
        try:
            registration = services.registration_create(actor=None, event=event, name=pending.name, email=pending.email)
        except ValidationError as error:
            context["error"] = _messages_of(error)
        else:
            context["registration"] = registration
            context["position"] = selectors.waitlist_position(registration)
            return render(request, "events/registration_confirmed.html", context)
    return render(request, "events/registration_confirm.html", context)


@require_http_methods(["GET", "POST"])
def registration_cancel_by_link(request, territory_slug, token):
    """A person without an account cancels through the link of their e-mail (page, then POST)."""
    found = tokens.read_cancel_token(token)
    registration = None
    if found:
        registration_id, email = found
        registration = (
            Registration.objects.for_territory(request.territory)
            .select_related("event__territory")
            .filter(pk=registration_id, email=email, user__isnull=True)
            .first()
        )
    if registration is None:
        return render(
            request,
            "events/link_invalid.html",
            {"territory": request.territory, "error": _("Ce lien d'annulation n'est pas valide.")},
            status=404,
        )
    context = {"territory": request.territory, "registration": registration, "event": registration.event}
    if request.method == "POST":
        try:
            services.registration_cancel(actor=None, registration=registration)
        except ValidationError as error:
            context["error"] = _messages_of(error)
        else:
            messages.success(request, _("Votre inscription est annulée. Merci d'avoir laissé la place."))
            return redirect(event_path(registration.event))
    return render(request, "events/registration_cancel.html", context)


@require_GET
def invitation_ics(request, territory_slug, pk):
    event = _public_event_or_404(request, pk)
    registration = selectors.registration_of(event=event, user=request.user)
    response = HttpResponse(
        event_ics(event, registration if registration and registration.is_active else None),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


@require_GET
def agenda_ics(request, territory_slug):
    """The territory's coming events as a calendar feed (`?type=prevention.agenda` for one kind)."""
    kind = request.GET.get("type", "")
    if kind:
        try:
            if len(kind) > KIND_MAX_LENGTH:
                raise ValidationError("too long")
            validate_event_kind(kind)
        except ValidationError:
            return HttpResponseBadRequest(
                _("Type d'événement non valable : « type » attend un identifiant comme prevention.agenda."),
                content_type="text/plain; charset=utf-8",
            )
    events = selectors.public_events(territory=request.territory, kind=kind or None)[:500]
    response = HttpResponse(
        ics.calendar(
            [event_vevent(event) for event in events],
            name=_("Événements — %(territory)s") % {"territory": request.territory.name},
        ),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="agenda-{request.territory.slug}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attendance_sheet(request, territory_slug, pk):
    """The organiser's sheet: who is registered, present or absent. Anyone else gets 404."""
    event = _public_event_or_404(request, pk)
    if not services.may_organise(request.user, event):
        raise Http404(_("Cet événement n'existe pas."))
    if request.method == "POST":
        registration = (
            selectors.event_registrations(event=event).filter(pk=request.POST.get("registration") or 0).first()
            if (request.POST.get("registration") or "").isdigit()
            else None
        )
        attended = {"present": True, "absent": False}.get(request.POST.get("attended", ""))
        if registration is None or attended is None:
            messages.error(request, _("Choisissez une personne inscrite et « présent » ou « absent »."))
        else:
            try:
                services.attendance_record(actor=request.user, registration=registration, attended=attended)
            except ValidationError as error:
                messages.error(request, _messages_of(error))
            else:
                messages.success(
                    request,
                    (_("%(name)s : présence notée.") if attended else _("%(name)s : absence notée."))
                    % {"name": registration.person_name},
                )
        return redirect("events:attendance", territory_slug=request.territory.slug, pk=event.pk)
    registrations = list(selectors.event_registrations(event=event).registered())
    return render(
        request,
        "events/attendance_sheet.html",
        {
            "territory": request.territory,
            "event": event,
            "registrations": registrations,
            "started": event.starts_at <= timezone.now(),
        },
    )


# --- the personal space -------------------------------------------------------------------------


@login_required
@require_GET
def my_registrations(request):
    return render(
        request, "events/my_registrations.html", {"registrations": selectors.registrations_of(user=request.user)}
    )


def _own_registration_or_404(request, pk) -> Registration:
    # Only the person's own rows are looked at: anyone else's answers 404, like a missing one.
    return get_object_or_404(
        Registration.objects.filter(user=request.user, territory__is_active=True).select_related("event__territory"),
        pk=pk,
    )


@login_required
@require_POST
def my_registration_cancel(request, pk):
    registration = _own_registration_or_404(request, pk)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request,
            _("Votre inscription à « %(title)s » est annulée. Merci d'avoir laissé la place.")
            % {"title": registration.event.title},
        )
    return redirect("events_space:list")


@login_required
@require_POST
def my_certificate(request, pk):
    """Asks for the certificate, then shows the document's own page: "En préparation", updating
    itself until the PDF is ready (or says why it failed), as the annual report does."""
    registration = _own_registration_or_404(request, pk)
    try:
        document = services.certificate_request(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    except PermissionDenied:
        raise Http404 from None
    else:
        return redirect(status_path(document))
    return redirect("events_space:list")
