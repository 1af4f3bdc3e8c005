"""The rows shown inside a case's page: needs, messages and notes (with one empty form to write a
new one), documents, follow-ups and the timeline. Writes go through the services (see
`case_page.CasePageMixin.save_formset`)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from installations.admin.common import team_ids
from installations.enums import CaseStatus, NeedState
from installations.models import CaseDocument, CaseEvent, FollowUp, Message, Need, Note
from installations.permissions import is_team_member
from installations.selectors import partner_referents
from portal.enums import EDITOR_ROLES, Role
from portal.models import User
from portal.tenancy.admin import TerritoryScopedInline


class CaseInline(TerritoryScopedInline):
    """Rows of a case, shown to the territory's team. They are written through the services only:
    an inline offers nothing to add, change or delete unless it says so, and never on an erased case."""

    related_popups = False

    def may_write(self, request, obj):
        # An erased case is kept for the statistics only: nothing more is written on it.
        return obj is not None and obj.erased_at is None and super().may_write(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NeedInlineForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["kind", "details", "state", "owner", "due_date", "referred_to", "referent"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2, "cols": 30})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kind"].disabled = True
        # Referral is a state of its own, set by choosing the partner below.
        self.fields["state"].choices = [c for c in self.fields["state"].choices if c[0] != NeedState.REFERRED] + (
            [(NeedState.REFERRED, NeedState.REFERRED.label)] if self.instance.state == NeedState.REFERRED else []
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if (
            self.instance.pk is None
            and kind
            and self.instance.case_id
            and Need.objects.filter(case_id=self.instance.case_id, kind=kind).exists()
        ):
            self.add_error("kind", _("Ce besoin figure déjà dans la demande."))
        organisation, referent = data.get("referred_to"), data.get("referent")
        changed = {"referred_to", "referent"} & set(self.changed_data)
        if changed and (organisation or referent):
            if not (organisation and referent):
                raise ValidationError(_("Pour orienter ce besoin, choisissez l'organisation et son référent."))
            territory = self.instance.case.territory if self.instance.case_id else None
            if territory is None or not partner_referents(territory, organisation).filter(pk=referent.pk):
                self.add_error(
                    "referent",
                    _("Cette personne n'est pas référente partenaire de cette organisation sur le territoire."),
                )
        elif changed and self.instance.pk:
            self.add_error("referred_to", _("Une orientation ne peut pas être retirée ; changez l'état du besoin."))
        owner = data.get("owner")
        if (
            owner is not None
            and "owner" in self.changed_data
            and self.instance.case_id
            and not is_team_member(owner, self.instance.case.territory)
        ):
            self.add_error("owner", _("Choisissez un membre de l'équipe du territoire."))
        return data


class NeedInline(CaseInline, admin.TabularInline):
    model = Need
    form = NeedInlineForm
    extra = 0
    fields = ["kind", "details", "state", "owner", "due_date", "referred_to", "referent", "referred_at"]
    readonly_fields = ["referred_at"]
    verbose_name_plural = _("besoins (un par ligne, chacun avec son état, son responsable et son échéance)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "owner", "referred_to", "referent")

    def has_add_permission(self, request, obj=None):
        return self.may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.may_write(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        roles = {"referent": [Role.PARTNER], "owner": list(EDITOR_ROLES)}.get(db_field.name)
        if roles:
            users = User.objects.filter(memberships__role__in=roles)
            if not request.user.is_superuser:
                users = users.filter(memberships__territory_id__in=team_ids(request))
            field.queryset = users.distinct().order_by("last_name", "first_name", "email")
        return field


class TimelineInline(CaseInline, admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = readonly_fields = ("created_at", "actor", "kind", "summary", "public")
    verbose_name_plural = _("historique (lecture seule)")
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class MessageHistoryInline(CaseInline, admin.TabularInline):
    model = Message
    extra = 0
    fields = readonly_fields = ("created_at", "author", "from_applicant", "body")
    verbose_name_plural = _("messages échangés avec le demandeur")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class NewMessageForm(forms.ModelForm):
    class Meta:
        model = Message
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        labels = {"body": _("Nouveau message au demandeur (il le verra et en sera averti)")}


class MessageAddInline(CaseInline, admin.StackedInline):
    """One empty form: the message is posted through `services.message_post`."""

    model = Message
    form = NewMessageForm
    extra = 1
    max_num = 1
    verbose_name = _("nouveau message")
    verbose_name_plural = _("écrire au demandeur")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        # Finished or unconfirmed cases receive no more messages (message_post).
        return self.may_write(request, obj) and obj.status in (
            CaseStatus.SUBMITTED,
            CaseStatus.SUPPORTED,
            CaseStatus.WAITING_APPLICANT,
        )


class NoteHistoryInline(CaseInline, admin.TabularInline):
    model = Note
    extra = 0
    fields = readonly_fields = ("created_at", "author", "need", "body")
    verbose_name_plural = _("notes internes (jamais montrées au demandeur)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "need")


class NewNoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 2, "cols": 80})}
        labels = {"body": _("Nouvelle note interne")}


class NoteAddInline(CaseInline, admin.StackedInline):
    model = Note
    form = NewNoteForm
    extra = 1
    max_num = 1
    verbose_name = _("nouvelle note interne")
    verbose_name_plural = _("ajouter une note interne")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        return self.may_write(request, obj)


class DocumentInline(CaseInline, admin.TabularInline):
    model = CaseDocument
    extra = 0
    fields = readonly_fields = ("created_at", "download", "content_type", "size", "from_applicant")
    verbose_name_plural = _("documents")

    @admin.display(description=_("fichier"))
    def download(self, obj):
        url = reverse("admin:installations_case_document", args=[obj.case_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class FollowUpInline(CaseInline, admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = readonly_fields = ("years", "due_date", "done_at", "still_practising", "comment")
    verbose_name_plural = _("suivis après installation")
