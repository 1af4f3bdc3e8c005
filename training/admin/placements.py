"""Offers (with their sites: several for a joint town–hospital programme) and placements: who
arrives when, where, needing what, filtered and exported as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.events.admin import apply_each
from portal.tenancy.admin import TerritoryScopedAdmin, TerritoryScopedInline
from training.models import Offer, OfferSite, Placement
from training.services.welcome import welcome_kit_hand


class OfferSiteInline(TerritoryScopedInline, admin.TabularInline):
    model = OfferSite
    fields = ("host_site", "supervisor", "start_date", "end_date")
    extra = 1
    related_popups = False


@admin.register(Offer)
class OfferAdmin(TerritoryScopedAdmin):
    list_display = ("title", "level", "specialty", "semester", "places", "published")
    list_filter = ("semester", "level", "published")
    search_fields = ("title", "specialty")
    inlines = [OfferSiteInline]
    export_fields = ("title", "level", "specialty", "semester", "places", "published")


class SemesterFilter(admin.SimpleListFilter):
    title = _("semestre")
    parameter_name = "semester"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from training.semesters import semester_choices

        return semester_choices(around=timezone.localdate(), before=4, after=2)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(semester=self.value()) if self.value() else queryset


def _sites(placement: Placement) -> str:
    return ", ".join(f"{s.host_site.name} ({s.host_site.commune.name})" for s in placement.offer.sites.all())


def _needs(placement: Placement) -> str:
    needs = [
        str(label)
        for wanted, label in (
            (placement.needs_housing, _("logement")),
            (placement.needs_transport, _("transport")),
            (placement.needs_welcome, _("accueil")),
        )
        if wanted
    ]
    return ", ".join(needs)


@admin.register(Placement)
class PlacementAdmin(TerritoryScopedAdmin):
    access_logged = True
    """The coordinator's view of arrivals: filter by semester, need, level, status; export the list."""

    list_display = ("student_name", "offer", "where", "start_date", "end_date", "needs", "status")
    list_filter = (SemesterFilter, "status", "needs_housing", "needs_transport", "needs_welcome", "offer__level")
    search_fields = ("student_name", "student_email", "offer__title")
    date_hierarchy = "start_date"
    ordering = ("start_date", "student_name")
    raw_id_fields = ("student",)
    # The semester is the offer's (set when the placement is validated).
    exclude = ("semester",)
    actions = ["export_csv", "hand_welcome_kit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related("offer")
            .prefetch_related(Prefetch("offer__sites", queryset=OfferSite.objects.select_related("host_site__commune")))
        )

    @admin.display(description=_("où"))
    def where(self, obj: Placement) -> str:
        return _sites(obj)

    @admin.display(description=_("besoins"))
    def needs(self, obj: Placement) -> str:
        return _needs(obj)

    def export_rows(self, queryset: QuerySet[Any]) -> Iterator[list[str]]:
        yield [
            str(_("Étudiant")),
            str(_("E-mail")),
            str(_("Stage")),
            str(_("Niveau")),
            str(_("Semestre")),
            str(_("Où")),
            str(_("Arrivée")),
            str(_("Fin")),
            str(_("Besoins")),
            str(_("Précisions")),
            str(_("Statut")),
        ]
        # `queryset` comes from get_queryset(), with the offers and their sites already joined.
        for placement in queryset:
            yield [
                placement.student_name,
                placement.student_email,
                placement.offer.title,
                placement.offer.get_level_display(),
                placement.semester_label,
                _sites(placement),
                placement.start_date.strftime("%d/%m/%Y"),
                placement.end_date.strftime("%d/%m/%Y"),
                _needs(placement),
                placement.note,
                placement.get_status_display(),
            ]

    @admin.action(description=_("Kit d'accueil remis aujourd'hui"))
    def hand_welcome_kit(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        today = timezone.localdate()
        apply_each(
            self,
            request,
            queryset,
            lambda placement: welcome_kit_hand(actor=request.user, placement=placement, handed_on=today),
            lambda n: ngettext("%(n)d kit d'accueil enregistré.", "%(n)d kits d'accueil enregistrés.", n) % {"n": n},
        )
