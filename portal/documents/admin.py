from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat, truncatechars
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.documents.enums import DocumentAudience
from portal.documents.models import GeneratedDocument
from portal.documents.notices import status_path
from portal.documents.services import document_retry
from portal.tenancy.admin import TerritoryScopedAdmin


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(TerritoryScopedAdmin):
    """Documents are created by the apps (annual report, minutes…); here they are followed and
    regenerated. Nothing that decides what runs in the worker (builder, parameters) is editable."""

    list_display = [
        "title",
        "kind",
        "audience",
        "status",
        "short_error",
        "size",
        "pages",
        "requested_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "audience"]
    search_fields = ["title"]
    date_hierarchy = "requested_at"
    list_select_related = ["territory"]
    actions = ["export_csv", "regenerate"]
    readonly_fields = [
        "territory",
        "kind",
        "builder",
        "params",
        "status",
        "error",
        "file",
        "pages",
        "size",
        "recipient",
        "requested_by",
        "requested_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "attempts",
        "interruptions",
        "download_link",
    ]
    fields = ["title", "audience", *readonly_fields]
    export_fields = (
        "title",
        "kind",
        "audience",
        "status",
        "error",
        "pages",
        "size_bytes",
        "requested_at",
        "finished_at",
    )

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.audience == DocumentAudience.PERSON:
            # A document addressed to one person stays theirs: widening it would hand it to others.
            fields.insert(0, "audience")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "audience":
            # "One person" needs a recipient, which only the service that builds the document sets.
            kwargs["choices"] = [c for c in DocumentAudience.choices if c[0] != DocumentAudience.PERSON]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("erreur"))
    def short_error(self, obj):
        return truncatechars(obj.error, 80) if obj.error else ""

    @admin.display(description=_("taille"), ordering="size_bytes")
    def size(self, obj):
        return filesizeformat(obj.size_bytes) if obj.size_bytes else ""

    @admin.display(description=_("téléchargement"))
    def download_link(self, obj):
        try:
            if not obj.is_ready:
                return format_html('<a href="{}">{}</a>', status_path(obj), _("Suivre la préparation"))
            url = reverse("documents:download", kwargs={"territory_slug": obj.territory.slug, "pk": obj.pk})
        except NoReverseMatch:  # the project has not mounted the documents URLs
            return ""
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le PDF"))

    @admin.action(description=_("Générer à nouveau les documents sélectionnés"))
    def regenerate(self, request, queryset):
        queued, refused = [], []
        for document in queryset.select_related("territory"):
            try:
                queued.append(document_retry(actor=request.user, document=document))
            except (ValidationError, PermissionDenied) as exc:
                refused.append(f"{document.title} : {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d document remis en génération.", "%(count)d documents remis en génération.", len(queued)
                )
                % {"count": len(queued)},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)
        if len(queued) == 1 and not refused:
            # One document: the page that follows its preparation and says when it is ready.
            return HttpResponseRedirect(status_path(queued[0]))
        return None
