"""The back office of the events: coordinators publish events, follow registrations, take attendance.

Who holds a place changes only through the services (registering, cancelling, promoting), so the
registrations are read-only here and the actions call the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.events import services
from portal.events.enums import EventStatus
from portal.events.models import EVENT_EDITABLE_FIELDS, Event, Registration
from portal.tenancy.admin import ReadOnlyAdminMixin, TerritoryScopedAdmin, TerritoryScopedInline


def apply_each(model_admin, request, rows, write, message) -> None:
    """Runs the service `write(row)` on each selected row, then says how many succeeded and, for each
    refusal, the row and the service's French reason (one row's refusal does not stop the others)."""
    done = 0
    for row in rows:
        try:
            write(row)
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(getattr(exc, "messages", [str(exc)]))
            model_admin.message_user(request, f"{row} : {reason}", messages.WARNING)
        else:
            done += 1
    if done:
        model_admin.message_user(request, message(done), messages.SUCCESS)


class RegistrationInline(TerritoryScopedInline, admin.TabularInline):
    model = Registration
    fields = ("person", "email", "status", "attended", "created_at", "promoted_at", "cancelled_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    ordering = ["status", "waitlisted_at", "created_at"]

    def may_write(self, request, obj) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("personne"))
    def person(self, obj):
        return obj.person_name


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["territory", "kind", *EVENT_EDITABLE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and self.instance.status != EventStatus.CANCELLED:
            # Cancelling tells everyone registered: it is the action "Annuler les événements", not a field.
            status.choices = [c for c in status.choices if c[0] != EventStatus.CANCELLED]


class EventKindFilter(admin.SimpleListFilter):
    """The kinds of the territory's events (each app names its own); an event of no kind is
    "Sans type" rather than a link without text."""

    title = _("type")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = model_admin.get_queryset(request).order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind or "-", kind or _("Sans type")) for kind in kinds]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(kind="" if value == "-" else value)


@admin.register(Event)
class EventAdmin(TerritoryScopedAdmin):
    form = EventAdminForm
    list_display = ["title", "starts_at", "kind", "audience", "status", "capacity", "registered", "waitlisted"]
    list_filter = ["status", "audience", EventKindFilter]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    # Explicit: the counts' GROUP BY drops Meta.ordering, and the autocomplete pages need an order.
    ordering = ("-starts_at", "-pk")
    list_select_related = ["territory"]
    inlines = [RegistrationInline]
    actions = ["export_csv", "cancel_events"]
    readonly_fields = ["created_at", "cancelled_at"]
    fieldsets = [
        (None, {"fields": ["territory", "kind", "title", "description", "audience", "status"]}),
        (_("Date et lieu"), {"fields": ["starts_at", "ends_at", "place", "commune"]}),
        (
            _("Inscriptions"),
            {"fields": ["capacity", "registration_opens_at", "registration_closes_at", "allow_anonymous"]},
        ),
        (_("Organisation"), {"fields": ["organiser", "organiser_users", "created_at", "cancelled_at"]}),
    ]
    raw_id_fields = ["commune"]
    export_fields = ("title", "kind", "starts_at", "ends_at", "place", "capacity", "audience", "status")

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == EventStatus.CANCELLED:
            fields.append("status")
        return fields

    @admin.display(description=_("inscrits"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("en attente"), ordering="waitlisted_count")
    def waitlisted(self, obj):
        return obj.waitlisted_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # More places (or none counted): the waiting list takes them at once.
            promoted = services.event_places_fill(actor=request.user, event=obj)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d personne de la liste d'attente est inscrite et prévenue.",
                        "%(count)d personnes de la liste d'attente sont inscrites et prévenues.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Annuler les événements sélectionnés (les inscrits sont prévenus)"))
    def cancel_events(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.select_related("territory"),
            lambda event: services.event_cancel(actor=request.user, event=event),
            lambda n: ngettext("%(count)d événement annulé.", "%(count)d événements annulés.", n) % {"count": n},
        )


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, TerritoryScopedAdmin):
    """Registrations are written by the services (a place taken or freed moves the waiting list):
    read-only here, changed through the actions."""

    list_display = ["person", "person_email", "event", "status", "attended", "created_at", "reminded_at"]
    list_filter = ["status", "attended", "event"]
    search_fields = ["name", "email", "user__email", "user__last_name", "event__title"]
    list_select_related = ["event", "user"]
    actions = ["export_csv", "mark_present", "mark_absent", "cancel_registrations"]
    readonly_fields = (
        "territory",
        "event",
        "user",
        "name",
        "email",
        "status",
        "attended",
        "attendance_recorded_at",
        "created_at",
        "waitlisted_at",
        "promoted_at",
        "cancelled_at",
        "reminded_at",
        "certificate",
    )
    fields = readonly_fields
    export_fields = ("event", "user", "name", "email", "status", "attended", "created_at", "promoted_at")

    @admin.display(description=_("personne"))
    def person(self, obj):
        return obj.person_name

    @admin.display(description=_("e-mail"))
    def person_email(self, obj):
        return obj.person_email

    def _attendance(self, request, queryset, attended: bool):
        apply_each(
            self,
            request,
            queryset.select_related("event__territory"),
            lambda row: services.attendance_record(actor=request.user, registration=row, attended=attended),
            lambda n: ngettext("%(count)d présence notée.", "%(count)d présences notées.", n) % {"count": n},
        )

    @admin.action(description=_("Noter présent"))
    def mark_present(self, request, queryset):
        self._attendance(request, queryset, True)

    @admin.action(description=_("Noter absent"))
    def mark_absent(self, request, queryset):
        self._attendance(request, queryset, False)

    @admin.action(description=_("Annuler les inscriptions sélectionnées (la liste d'attente en profite)"))
    def cancel_registrations(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.select_related("event__territory"),
            lambda row: services.registration_cancel(actor=request.user, registration=row),
            lambda n: ngettext("%(count)d inscription annulée.", "%(count)d inscriptions annulées.", n) % {"count": n},
        )
