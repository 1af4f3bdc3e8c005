"""School outreach in the admin: each action with the professionals who went."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.tenancy.admin import TerritoryScopedAdmin, TerritoryScopedInline
from training.models import OutreachAction, OutreachSpeaker


class SpeakerInline(TerritoryScopedInline, admin.TabularInline):
    model = OutreachSpeaker
    fields = ["name", "profession", "organisation"]
    extra = 1


@admin.register(OutreachAction)
class OutreachActionAdmin(TerritoryScopedAdmin):
    list_display = ["school", "kind", "level", "commune", "held_on", "pupils_reached", "speaker_count"]
    list_filter = ["kind", "level"]
    search_fields = ["school", "topic", "speakers__name"]
    date_hierarchy = "held_on"
    # Explicit: the count's GROUP BY drops Meta.ordering, and the autocomplete pages need an order.
    ordering = ("-held_on", "-pk")
    list_select_related = ["commune"]
    raw_id_fields = ["commune"]
    inlines = [SpeakerInline]
    export_fields = ("held_on", "kind", "school", "level", "commune", "topic", "pupils_reached")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(speaker_total=Count("speakers"))

    @admin.display(description=_("intervenants"), ordering="speaker_total")
    def speaker_count(self, obj):
        return obj.speaker_total


@admin.register(OutreachSpeaker)
class OutreachSpeakerAdmin(TerritoryScopedAdmin):
    """Who went where: every speaker with their action, to search by person."""

    list_display = ["name", "profession", "organisation", "action"]
    list_filter = ["profession"]
    search_fields = ["name", "action__school"]
    list_select_related = ["organisation", "action"]
