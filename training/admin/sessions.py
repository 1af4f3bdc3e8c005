"""Sessions and welcome evenings in the admin: one page writes the session and its shared event
(date, place, capacity, audience); registrations, waiting list and attendance are those of the
event (portal.events' admin and attendance sheet)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_pages import label_widget
from portal.enums import EDITOR_ROLES
from portal.events import services as events
from portal.events.admin import apply_each
from portal.events.enums import EventStatus, RegistrationStatus
from portal.events.models import Event
from portal.models import Commune, User
from portal.tenancy.access import territory_ids_for
from portal.tenancy.admin import TerritoryScopedAdmin, scoped_choices
from training.models import Session
from training.services.sessions import EVENT_FIELDS, session_save

# The event's fields, shown on the session's page (admin's date and time widgets for the datetimes).
_EVENT_FIELDS = forms.fields_for_model(Event, fields=EVENT_FIELDS)
for _name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
    _model_field = cast(models.Field, Event._meta.get_field(_name))
    # label_widget: each half of the date/time input gets a name screen readers read (portal.admin_pages).
    _EVENT_FIELDS[_name] = label_widget(
        forms.SplitDateTimeField(
            label=_model_field.verbose_name,
            required=not _model_field.blank,
            help_text=_model_field.help_text,
            widget=AdminSplitDateTime,
        )
    )


class SessionAdminForm(forms.ModelForm):
    title = _EVENT_FIELDS["title"]
    description = _EVENT_FIELDS["description"]
    audience = _EVENT_FIELDS["audience"]
    status = _EVENT_FIELDS["status"]
    starts_at = _EVENT_FIELDS["starts_at"]
    ends_at = _EVENT_FIELDS["ends_at"]
    place = _EVENT_FIELDS["place"]
    commune = _EVENT_FIELDS["commune"]
    capacity = _EVENT_FIELDS["capacity"]
    registration_opens_at = _EVENT_FIELDS["registration_opens_at"]
    registration_closes_at = _EVENT_FIELDS["registration_closes_at"]
    allow_anonymous = _EVENT_FIELDS["allow_anonymous"]
    organiser = _EVENT_FIELDS["organiser"]
    organiser_users = _EVENT_FIELDS["organiser_users"]

    class Meta:
        model = Session
        fields = ["territory", "theme", "trainer", "dpc_reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event if self.instance.event_id else Event()
        if event.pk:
            for name in EVENT_FIELDS:
                value = getattr(event, name)
                if name == "organiser_users":
                    value = list(value.values_list("pk", flat=True))
                self.initial[name] = value.pk if hasattr(value, "pk") else value
        if event.status != EventStatus.CANCELLED:
            # Cancelling tells everyone registered: it is the action "Annuler", not a field.
            self.fields["status"].choices = [c for c in self.fields["status"].choices if c[0] != EventStatus.CANCELLED]
        else:
            self.fields["status"].disabled = True
        self.fields["title"].help_text = _("Par exemple : « Formation des maîtres de stage — module 1 ».")

    def event_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EVENT_FIELDS}

    def clean(self):
        cleaned = super().clean()
        # The event is checked here so that its errors show next to its fields; the service checks again.
        fields = {k: v for k, v in self.event_fields().items() if k != "organiser_users"}
        territory = cleaned.get("territory") or getattr(self.instance, "territory", None)
        event = Event(territory=territory, **fields)
        try:
            event.full_clean(exclude=["kind", "territory"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(Session)
class SessionAdmin(TerritoryScopedAdmin):
    form = SessionAdminForm
    list_display = [
        "title",
        "starts_at",
        "theme",
        "audience",
        "status",
        "capacity",
        "registered",
        "waitlisted",
        "attended",
    ]
    list_filter = ["theme", "event__status", "event__audience"]
    search_fields = ["event__title", "trainer"]
    ordering = ("-event__starts_at", "-pk")
    list_select_related = ["event"]
    actions = ["export_csv", "cancel_sessions"]
    readonly_fields = ["registrations_link"]
    fieldsets = [
        (None, {"fields": ["territory", "theme", "title", "description", "audience", "status"]}),
        (_("Date et lieu"), {"fields": ["starts_at", "ends_at", "place", "commune"]}),
        (_("Formation"), {"fields": ["trainer", "dpc_reference", "organiser", "organiser_users"]}),
        (
            _("Inscriptions"),
            {
                "fields": [
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "allow_anonymous",
                    "registrations_link",
                ]
            },
        ),
    ]
    export_fields = ("event", "theme", "trainer", "dpc_reference")

    def get_queryset(self, request):
        registrations = "event__registrations"
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_count=Count(
                    registrations, filter=Q(**{f"{registrations}__status": RegistrationStatus.REGISTERED})
                ),
                waitlisted_count=Count(
                    registrations, filter=Q(**{f"{registrations}__status": RegistrationStatus.WAITLISTED})
                ),
                attended_count=Count(registrations, filter=Q(**{f"{registrations}__attended": True})),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # A session and its event, registrations and certificates belong to one territory.
            fields.append("territory")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        organisations = scoped_choices(Event._meta.get_field("organiser").related_model, request)
        people = scoped_choices(User, request)
        ids = territory_ids_for(request.user, roles=EDITOR_ROLES)
        communes = Commune.objects.all() if request.user.is_superuser else Commune.objects.filter(territories__in=ids)
        # Fields added in __init__ are not seen by formfield_for_foreignkey: scope them here.

        class ScopedForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                if organisations is not None:
                    self.fields["organiser"].queryset = organisations
                if people is not None:
                    self.fields["organiser_users"].queryset = people
                self.fields["commune"].queryset = communes.distinct().order_by("name")

        return ScopedForm

    def save_model(self, request, obj, form, change):
        if obj.event_id is not None and obj.event.status == EventStatus.CANCELLED:
            fields = {k: v for k, v in form.event_fields().items() if k != "status"}
        else:
            fields = form.event_fields()
        session_save(actor=request.user, session=obj, event_fields=fields)

    @admin.display(description=_("titre"), ordering="event__title")
    def title(self, obj):
        return obj.event.title

    @admin.display(description=_("début"), ordering="event__starts_at")
    def starts_at(self, obj):
        return obj.event.starts_at

    @admin.display(description=_("public visé"))
    def audience(self, obj):
        return obj.event.get_audience_display()

    @admin.display(description=_("état"))
    def status(self, obj):
        return obj.event.get_status_display()

    @admin.display(description=_("places"))
    def capacity(self, obj):
        return obj.event.capacity

    @admin.display(description=_("inscrits"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("en attente"), ordering="waitlisted_count")
    def waitlisted(self, obj):
        return obj.waitlisted_count

    @admin.display(description=_("présents"), ordering="attended_count")
    def attended(self, obj):
        return obj.attended_count

    @admin.display(description=_("inscriptions et présences"))
    def registrations_link(self, obj):
        if obj is None or not obj.event_id:
            return _("Après l'enregistrement.")
        return format_html(
            '<a href="{}">{}</a> — <a href="{}">{}</a>',
            reverse("admin:events_event_change", args=[obj.event_id]),
            _("les inscriptions"),
            reverse("events:attendance", args=[obj.event.territory.slug, obj.event_id]),
            _("la feuille de présence"),
        )

    @admin.action(description=_("Annuler les formations sélectionnées (les inscrits sont prévenus)"))
    def cancel_sessions(self, request, queryset):
        apply_each(
            self,
            request,
            queryset.select_related("event__territory"),
            lambda session: events.event_cancel(actor=request.user, event=session.event),
            lambda n: ngettext("%(count)d formation annulée.", "%(count)d formations annulées.", n) % {"count": n},
        )
