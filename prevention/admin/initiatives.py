"""The inventory in the admin: initiatives with their fundings, documents and good-practice sheet,
the "start a replication" page, the sharing setting, and the CSV export."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.models import Commune, Organisation
from portal.tenancy.admin import TerritoryScopedAdmin, TerritoryScopedInline, scoped_choices
from prevention.admin.common import audiences_field, check_communes_in_territory, communes_of
from prevention.models import Funding, Initiative, InitiativeDocument, PreventionSettings, ReplicationSheet
from prevention.services.good_practices import good_practice_mark, replication_start, sharing_set


class FundingInline(TerritoryScopedInline, admin.TabularInline):
    model = Funding
    fields = ["source", "funder", "amount", "year", "cls_action_code"]


class DocumentInline(TerritoryScopedInline, admin.TabularInline):
    model = InitiativeDocument
    fields = ["title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


SHEET_FIELDS = ("why_it_works", "key_steps", "resources_needed", "pitfalls", "contact")


class ReplicationSheetInline(TerritoryScopedInline, admin.StackedInline):
    model = ReplicationSheet
    verbose_name = _("fiche de bonne pratique (la remplir fait de l'action une bonne pratique)")
    fields = list(SHEET_FIELDS)
    max_num = 1


class InitiativeAdminForm(forms.ModelForm):
    audiences = audiences_field()

    class Meta:
        model = Initiative
        fields = [
            "territory",
            "title",
            "summary",
            "theme",
            "audiences",
            "status",
            "published",
            "communes",
            "carrier",
            "partners",
            "start_date",
            "end_date",
            "budget",
            "people_reached",
            "results",
            "evaluation",
            "internal_notes",
            "replicated_from",
        ]

    def clean(self):
        data = super().clean()
        check_communes_in_territory(self)
        return data


@admin.register(Initiative)
class InitiativeAdmin(TerritoryScopedAdmin):
    form = InitiativeAdminForm
    list_display = ["title", "theme", "status", "commune_names", "carrier", "good_practice", "replicated_from"]
    list_filter = ["theme", "status", "published"]
    search_fields = ["title", "summary"]
    list_select_related = ["carrier", "replicated_from", "replication_sheet"]
    # Plain multiple selects: Django's two-box widget puts aria-label on a <span> (axe: aria-prohibited-attr).
    inlines = [FundingInline, ReplicationSheetInline, DocumentInline]
    readonly_fields = ["replicate_link", "created_at", "updated_at"]
    # A raw id, not an autocomplete: select2's box has no accessible name (axe: aria-input-field-name).
    raw_id_fields = ["replicated_from"]
    fieldsets = [
        (None, {"fields": ["territory", "title", "summary", "theme", "audiences", "status", "published"]}),
        (_("Où et par qui"), {"fields": ["communes", "carrier", "partners"]}),
        (_("Période et budget"), {"fields": ["start_date", "end_date", "budget"]}),
        (_("Résultats"), {"fields": ["people_reached", "results", "evaluation", "internal_notes"]}),
        (_("Diffusion"), {"fields": ["replicated_from", "replicate_link", "created_at", "updated_at"]}),
    ]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("communes", queryset=Commune.objects.order_by("name").only("pk", "name", "insee_code"))
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "communes":
            kwargs["queryset"] = communes_of(request)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs["size"] = 10
        return field

    @admin.display(description=_("communes"))
    def commune_names(self, obj):
        return ", ".join(c.name for c in obj.communes.all())

    @admin.display(description=_("bonne pratique"), boolean=True)
    def good_practice(self, obj):
        return obj.is_good_practice

    @admin.display(description=_("réplication"))
    def replicate_link(self, obj):
        if obj is None or obj.pk is None or not obj.is_good_practice:
            return _("Une bonne pratique (avec sa fiche) peut être reprise par une autre commune.")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:prevention_initiative_replicate", args=[obj.pk]),
            _("Une autre commune reprend cette bonne pratique"),
        )

    def save_formset(self, request, form, formset, change):
        # The good-practice sheet is written by its service (who may, what a sheet needs).
        if formset.model is not ReplicationSheet:
            return super().save_formset(request, form, formset, change)
        # What the admin's change message reads of a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for sheet_form in formset.forms:
            data = getattr(sheet_form, "cleaned_data", None)
            if not data or not sheet_form.has_changed():
                continue
            if data.get("DELETE"):
                if sheet_form.instance.pk:
                    formset.deleted_objects.append(sheet_form.instance)
                    sheet_form.instance.delete()
                continue
            try:
                sheet = good_practice_mark(
                    actor=request.user,
                    initiative=form.instance,
                    **{name: data.get(name) or "" for name in SHEET_FIELDS},
                )
            except PermissionDenied:
                raise Http404 from None
            if sheet_form.instance.pk:
                formset.changed_objects.append((sheet, sheet_form.changed_data))
            else:
                formset.new_objects.append(sheet)
        return None

    # --- start a replication ---------------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "<int:pk>/repliquer/",
                self.admin_site.admin_view(self.replicate_view),
                name="prevention_initiative_replicate",
            ),
            *super().get_urls(),
        ]

    def replicate_view(self, request, pk):
        original = self.get_object(request, str(pk))
        if not self.has_change_permission(request, original):
            raise Http404
        form = ReplicationForm(request.POST or None, original=original, request=request)
        if request.method == "POST" and form.is_valid():
            try:
                replication = replication_start(
                    actor=request.user,
                    original=original,
                    communes=form.cleaned_data["communes"],
                    title=form.cleaned_data["title"],
                    carrier=form.cleaned_data["carrier"],
                    start_date=form.cleaned_data["start_date"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                self.message_user(
                    request,
                    _("La réplication « %(title)s » est enregistrée, liée à la bonne pratique d'origine.")
                    % {"title": replication.title},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:prevention_initiative_change", args=[replication.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reprendre « %(title)s » dans une autre commune") % {"title": original.title},
            "original": original,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/prevention/replicate.html", context, status=400 if form.is_bound else 200
        )

    # --- export ----------------------------------------------------------------------------------
    def export_rows(self, queryset):
        headers = [
            _("intitulé"),
            _("thème"),
            _("état"),
            _("communes"),
            _("porteur"),
            _("partenaires"),
            _("début"),
            _("fin"),
            _("budget total (€)"),
            _("financements"),
            _("fiches actions du CLS"),
            _("personnes touchées"),
            _("bonne pratique"),
            _("réplique de"),
            _("publiée"),
        ]
        yield [str(h) for h in headers]
        rows = list(
            queryset.select_related("carrier", "replicated_from", "replication_sheet").prefetch_related(
                "partners", Prefetch("fundings", queryset=Funding.objects.select_related("funder"))
            )
        )
        for obj in rows:
            by_source = defaultdict(lambda: 0)
            for funding in obj.fundings.all():
                by_source[funding.get_source_display()] += funding.amount
            yield [
                obj.title,
                obj.get_theme_display(),
                obj.get_status_display(),
                ", ".join(c.name for c in obj.communes.all()),
                obj.carrier.name if obj.carrier else "",
                ", ".join(p.name for p in obj.partners.all()),
                obj.start_date or "",
                obj.end_date or "",
                obj.budget if obj.budget is not None else "",
                " ; ".join(f"{source} {amount} €" for source, amount in by_source.items()),
                ", ".join(sorted({f.cls_action_code for f in obj.fundings.all() if f.cls_action_code})),
                obj.people_reached if obj.people_reached is not None else "",
                _("oui") if obj.is_good_practice else _("non"),
                obj.replicated_from.title if obj.replicated_from else "",
                _("oui") if obj.published else _("non"),
            ]


class ReplicationForm(forms.Form):
    title = forms.CharField(
        label=_("Intitulé de la réplication"),
        max_length=200,
        required=False,
        help_text=_("Laisser vide pour garder l'intitulé de la bonne pratique."),
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("Commune(s) qui reprennent l'action"), queryset=Commune.objects.none()
    )
    carrier = forms.ModelChoiceField(label=_("Porteur"), queryset=Organisation.objects.none(), required=False)
    start_date = forms.DateField(
        label=_("Début prévu"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, original, request, **kwargs):
        super().__init__(*args, **kwargs)
        territory = original.territory
        taken = set(original.communes.values_list("pk", flat=True))
        self.fields["communes"].queryset = territory.communes.exclude(pk__in=taken).order_by("name")
        self.fields["communes"].label_from_instance = lambda c: c.name
        self.fields["communes"].widget.attrs["size"] = 10
        carriers = scoped_choices(Organisation, request)
        carriers = (carriers if carriers is not None else Organisation.objects.all()).filter(territory=territory)
        self.fields["carrier"].queryset = carriers.order_by("name")
        self.initial.setdefault("title", original.title)


@admin.register(PreventionSettings)
class PreventionSettingsAdmin(TerritoryScopedAdmin):
    list_display = ["territory", "share_good_practices", "shared_since"]
    fields = ["territory", "share_good_practices", "shared_since"]
    readonly_fields = ["shared_since"]

    def save_model(self, request, obj, form, change):
        # The sharing goes through its service (who may, since when): a new row is first saved
        # unshared, then the service shares it and dates it.
        share = obj.share_good_practices
        if not change:
            obj.share_good_practices = False
            super().save_model(request, obj, form, change)
        try:
            saved = sharing_set(actor=request.user, territory=obj.territory, share=share)
        except PermissionDenied:
            raise Http404 from None
        obj.pk, obj.share_good_practices, obj.shared_since = saved.pk, saved.share_good_practices, saved.shared_since
