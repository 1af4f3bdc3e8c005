"""Welcome kits handed out: who got one, when."""

from __future__ import annotations

from django.contrib import admin

from portal.tenancy.admin import TerritoryScopedAdmin
from training.models import WelcomeKit


@admin.register(WelcomeKit)
class WelcomeKitAdmin(TerritoryScopedAdmin):
    access_logged = True
    list_display = ("recipient_name", "handed_on", "placement", "handed_by", "contents")
    search_fields = ("recipient_name",)
    date_hierarchy = "handed_on"
    list_select_related = ("placement__offer", "handed_by")
    raw_id_fields = ("recipient", "placement")
    export_fields = ("recipient_name", "handed_on", "handed_by", "contents")
