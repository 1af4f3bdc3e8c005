"""The prevention agenda in the admin: the shared events of kind "prevention.agenda" (a proxy of
portal's Event: the same registrations, waiting list, reminders and cancellation action), with
their theme and initiative inline."""

from __future__ import annotations

from django.contrib import admin

from portal.events.admin import EventAdmin, EventAdminForm
from portal.tenancy.admin import TerritoryScopedInline
from prevention.enums import AGENDA_EVENT_KIND
from prevention.models import AgendaDetails, PreventionEvent


class AgendaDetailsInline(TerritoryScopedInline, admin.StackedInline):
    model = AgendaDetails
    fk_name = "event"
    fields = ["theme", "initiative"]
    min_num = 1
    max_num = 1
    can_delete = False


class PreventionEventAdminForm(EventAdminForm):
    class Meta(EventAdminForm.Meta):
        model = PreventionEvent
        fields = [name for name in EventAdminForm.Meta.fields if name != "kind"]


@admin.register(PreventionEvent)
class PreventionEventAdmin(EventAdmin):
    form = PreventionEventAdminForm
    list_display = ["title", "starts_at", "commune", "status", "capacity", "registered", "waitlisted"]
    list_filter = ["status", "prevention_details__theme"]
    list_select_related = ["territory", "commune"]
    inlines = [AgendaDetailsInline, *EventAdmin.inlines]
    fieldsets = [
        (None, {"fields": ["territory", "title", "description", "audience", "status"]}),
        *EventAdmin.fieldsets[1:],
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=AGENDA_EVENT_KIND)

    def save_model(self, request, obj, form, change):
        obj.kind = AGENDA_EVENT_KIND
        super().save_model(request, obj, form, change)
