"""The admin bases every app uses for territory-owned models.

- `TerritoryScopedAdmin` scopes the change list, the object pages (another territory's object answers
  404), the foreign-key and many-to-many choices, the list filters, the autocomplete, the CSV export
  and the saves to the territories where the staff user holds an admin role. A superuser sees everything.
- `TerritoryScopedInline` does the same for the rows shown inside a parent's page: they follow the
  parent's territory.
- `csv_response` is the one CSV export (streamed, UTF-8 with a BOM, `;`-separated, dated file name,
  cells that a spreadsheet would run as formulas neutralised).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter, RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import Form, ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_pages import ACCESSIBLE_JS, AdminPageTitles, label_widget
from portal.enums import ADMIN_ROLES, EDITOR_ROLES
from portal.tenancy.access import territory_ids_for
from portal.tenancy.models import TerritoryScopedModel

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite
    from django.contrib.admin.options import InlineModelAdmin

    _ModelAdmin = admin.ModelAdmin[Any]
    _BaseInlineFormSet = forms.BaseInlineFormSet[Any, Any, Any]
    # The inline base is a mixin put before TabularInline / StackedInline: typed as what it mixes into.
    _InlineMixinBase = InlineModelAdmin[Any, Any]
else:
    # Not subscriptable at run time.
    _ModelAdmin = admin.ModelAdmin
    _BaseInlineFormSet = forms.BaseInlineFormSet
    _InlineMixinBase = object


def scoped_choices(
    model: Any, request: HttpRequest, roles: Iterable[str] = EDITOR_ROLES
) -> models.QuerySet[Any] | None:
    """The rows of `model` a staff user may pick in a form, or None when `model` is not scoped."""
    from portal.models import Territory, User

    user = request.user
    if user.is_superuser:
        return None
    ids = territory_ids_for(user, roles=roles)
    if model is Territory:
        return Territory.objects.filter(pk__in=ids)
    if issubclass(model, TerritoryScopedModel):
        scoped: models.QuerySet[Any] = model.objects.for_territories(ids)
        return scoped
    if model is User:
        return User.objects.filter(memberships__territory_id__in=ids).distinct()
    return None


def admin_context_without_sidebar(site: AdminSite, request: HttpRequest) -> dict[str, Any]:
    """`site.each_context(request)` for a page without the navigation sidebar: the same keys, but
    the list of every application and model (a permission check and two URL reversals per model)
    is not built. tests/portal/test_admin.py checks that the keys stay Django's."""
    script_name = request.META.get("SCRIPT_NAME", "")
    return {
        "site_title": site.site_title,
        "site_header": site.site_header,
        "site_url": script_name if site.site_url == "/" and script_name else site.site_url,
        "has_permission": site.has_permission(request),
        "available_apps": [],
        "is_popup": False,
        "is_nav_sidebar_enabled": False,
        "log_entries": site.get_log_entries(request),
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _with_bom(rows: Iterable[str]) -> Iterator[str]:
    # Spreadsheets opened by coordinators read UTF-8 accents correctly only with a BOM.
    yield "\ufeff"
    yield from rows


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...) sending the
# sheet elsewhere, DDE commands): OWASP's advice on CSV injection is to prefix it with a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> str:
    """`value` as text a spreadsheet shows as typed, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(rows: Iterable[Sequence[Any]], *, name: str) -> StreamingHttpResponse:
    """The CSV download of `rows` (lists of cells, the headers first), streamed row by row, named
    `<name>-<today>.csv`: `;`-separated and UTF-8 with a BOM, as French spreadsheets open it. Every
    cell goes through `neutralise_formula`: people's names and free text come from the public site."""
    writer = csv.writer(_Echo(), delimiter=";")
    response = StreamingHttpResponse(
        _with_bom(writer.writerow([neutralise_formula(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


class TerritoryScopedAdmin(AdminPageTitles, _ModelAdmin):
    # Partners (ARS, CPAM, Ordre…) read in the admin only what a model opts them into.
    partner_can_view = False
    # The object's page shows a person's data (a student, an occupant, an ambassador): each opening
    # is written in the staff access log (portal.privacy), as the case page is.
    access_logged = False
    export_fields: tuple[str, ...] = ()
    actions = ["export_csv"]
    # Counting a million rows on each page view is what makes big change lists slow.
    show_full_result_count = False
    list_per_page = 50
    # Links typed without a scheme are HTTPS (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        js = (ACCESSIBLE_JS,)

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        return label_widget(super().formfield_for_dbfield(db_field, request, **kwargs))

    # --- who may do what -------------------------------------------------------------------
    def _view_roles(self) -> Sequence[str]:
        return ADMIN_ROLES if self.partner_can_view else EDITOR_ROLES

    def _may(self, request: HttpRequest, obj: Any, roles: Iterable[str]) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        ids = territory_ids_for(user, roles=roles)
        if obj is None:
            return bool(ids)
        return self.territory_id_of(obj) in ids

    def territory_id_of(self, obj: Any) -> int | None:
        territory_id: int | None = obj.territory_id
        return territory_id

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None, self._view_roles())

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, self._view_roles())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None, EDITOR_ROLES)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, EDITOR_ROLES)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, EDITOR_ROLES)

    # --- reads -------------------------------------------------------------------------------
    def scope_queryset(self, queryset: Any, request: HttpRequest) -> models.QuerySet[Any]:
        scoped: models.QuerySet[Any] = queryset.for_territories(
            territory_ids_for(request.user, roles=self._view_roles())
        )
        return scoped

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope_queryset(queryset, request)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Django redirects to the admin index for a missing object; another territory's object
        # must answer exactly like a missing one, and that answer is 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Cet élément n'existe pas."))
        return obj

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        # A related-field filter lists every row of the related table by default: restrict it to
        # the values present in the (scoped) change list.
        scoped: list[Any] = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                field = self.model._meta.get_field(item)
                if field.is_relation:
                    item = (item, RelatedOnlyFieldListFilter)
            elif isinstance(item, tuple) and item[1] is RelatedFieldListFilter:
                item = (item[0], RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped

    # --- form choices ------------------------------------------------------------------------
    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        choices = scoped_choices(db_field.related_model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        choices = scoped_choices(db_field.remote_field.model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- writes ------------------------------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        if not request.user.is_superuser and self.territory_id_of(obj) not in territory_ids_for(
            request.user, roles=EDITOR_ROLES
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    # --- reads of personal data ----------------------------------------------------------------
    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> Any:
        territory_id = self.territory_id_of(obj) if obj is not None else None
        if self.access_logged and change and territory_id is not None:
            from portal.privacy.enums import AccessKind
            from portal.privacy.services import access_record

            # The object already read by the page: one INSERT. The log names the record, not the
            # person, so that it holds no more personal data than it must.
            access_record(
                user=request.user,
                territory_ids=[territory_id],
                kind=AccessKind.PERSON_RECORD,
                object_ref=f"{self.model._meta.verbose_name} n° {obj.pk}",
                object_id=obj.pk,
                request=request,
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # --- export ------------------------------------------------------------------------------
    def get_export_fields(self) -> list[str]:
        if self.export_fields:
            return list(self.export_fields)
        return [f.name for f in self.model._meta.concrete_fields]

    def export_rows(self, queryset: models.QuerySet[Any]) -> Iterator[list[str]]:
        fields = self.get_export_fields()
        relations = [f for f in fields if isinstance(self.model._meta.get_field(f), models.ForeignKey)]
        yield [str(self.model._meta.get_field(f).verbose_name) for f in fields]
        for obj in queryset.select_related(*relations).iterator(chunk_size=500):
            row: list[str] = []
            for name in fields:
                field = self.model._meta.get_field(name)
                value = getattr(obj, name)
                if field.choices:
                    value = getattr(obj, f"get_{name}_display")()
                row.append("" if value is None else str(value))
            yield row

    @admin.action(description=_("Exporter la sélection en CSV"))
    def export_csv(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> StreamingHttpResponse:
        # `queryset` comes from get_queryset(): the export can only contain scoped rows.
        from portal.privacy.enums import AccessKind
        from portal.privacy.services import access_record, readable_territory_ids

        access_record(
            user=request.user,
            territory_ids=readable_territory_ids(request.user, roles=self._view_roles()),
            kind=AccessKind.EXPORT,
            object_ref=str(self.model._meta.verbose_name_plural),
            request=request,
        )
        return csv_response(self.export_rows(queryset), name=self.model._meta.model_name)


class ReadOnlyAdminMixin:
    """For records only services write (timelines, the e-mail outbox): the admin shows them, and
    nobody adds, edits or deletes one there. Put it before the admin base class."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TerritoryScopedInlineFormSet(_BaseInlineFormSet):
    """The rows of an inline belong to the territory of their parent."""

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # in a table row, its only label is the column header
            row = _("nouvelle ligne") if index is None else str(index + 1)
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Supprimer la ligne %(row)s") % {"row": row}
        # Django offers every row of the table as the hidden id's choices: only the parent's
        # territory may be edited through this formset (none while the parent has no territory).
        pk_name: str = self._pk_field.name  # type: ignore[attr-defined]  # set by super().add_fields
        id_field = form.fields.get(pk_name)
        if isinstance(id_field, forms.ModelChoiceField) and id_field.queryset is not None:
            territory_id = getattr(self.instance, "territory_id", None)
            queryset = id_field.queryset
            id_field.queryset = queryset.filter(territory_id=territory_id) if territory_id else queryset.none()
        # The people and organisations to choose from are the same on every row: read them once
        # per page, not once per row (validation still checks against the field's queryset).
        cache: dict[str, list[Any]] = self.__dict__.setdefault("_choices_cache", {})
        for name, choice_field in form.fields.items():
            if name == pk_name or not isinstance(choice_field, forms.ModelChoiceField):
                continue
            if isinstance(choice_field, forms.ModelMultipleChoiceField) or choice_field.disabled:
                continue
            if name not in cache:
                cache[name] = list(cast(Iterable[Any], choice_field.choices))
            choice_field.widget.choices = cache[name]

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        # Django's private hook, which django-stubs does not describe.
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        # A new row takes its parent's territory before it is validated.
        if self.instance is not None and getattr(self.instance, "territory_id", None):
            form.instance.territory_id = self.instance.territory_id
        return form


class TerritoryScopedInline(_InlineMixinBase):
    """The one base of inlines of territory-owned rows, put before `admin.TabularInline` or
    `admin.StackedInline`: the rows are seen and written by the parent territory's team (coordinators
    and managers, active staff; a superuser everywhere), new rows take the parent's territory and
    the choices offered are scoped like `TerritoryScopedAdmin`'s.

    `may_write(request, obj)` decides add, change and delete; an inline that shows rows written
    elsewhere (through a service) returns False from the permissions it does not offer.
    """

    formset: type[_BaseInlineFormSet] = TerritoryScopedInlineFormSet
    extra = 0
    # False: choosing a person or an organisation is all one does there, without the pop-ups that
    # edit or create them.
    related_popups = True

    def may_view(self, request: HttpRequest, obj: Any) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        ids = territory_ids_for(user, roles=EDITOR_ROLES)
        return bool(ids) if obj is None else obj.territory_id in ids

    def may_write(self, request: HttpRequest, obj: Any) -> bool:
        return self.may_view(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_view(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_write(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_write(request, obj)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        choices = scoped_choices(db_field.related_model, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if not self.related_popups and field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            widget = field.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        # In a table the label is only a column header: each field carries its own name.
        return label_widget(field, in_table=isinstance(self, admin.TabularInline))
