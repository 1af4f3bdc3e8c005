"""The inventory of prevention initiatives, their funding, documents and good-practice sheets."""

from __future__ import annotations

import uuid
from typing import ClassVar, Self

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel
from prevention.enums import FundingSource, InitiativeStatus, Theme
from prevention.models.base import FieldChecks

# A CLS action sheet is named by its code ("4.2"), unique in its territory (governance.ActionSheet).
# Prevention keeps the code, not a foreign key: axis apps never import one another, and the
# annual report groups the CLS envelope by this code (see README, prevention paragraph).
validate_cls_action_code = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,19}$", _("Le numéro de la fiche action du CLS, par exemple « 4.2 ».")
)


class PreventionSettings(TerritoryScopedModel):
    """What a territory decides for its prevention axis. `share_good_practices` is the one
    deliberate crossing of the tenant wall: the good-practice sheets (and nothing else) become
    readable by the other territories' teams."""

    share_good_practices = models.BooleanField(
        _("partager nos bonnes pratiques avec les autres territoires"),
        default=False,
        help_text=_(
            "Les équipes des autres territoires lisent alors vos fiches de bonnes pratiques (lecture seule). "
            "Rien d'autre de votre territoire ne leur est montré."
        ),
    )
    shared_since = models.DateTimeField(_("partagées depuis le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("réglages de la prévention")
        verbose_name_plural = _("réglages de la prévention")
        constraints = [models.UniqueConstraint(fields=["territory"], name="prevention_settings_one_per_territory")]

    def __str__(self):
        return str(_("Réglages de la prévention"))


class InitiativeQuerySet(TerritoryQuerySet["Initiative"]):
    def published(self) -> Self:
        return self.filter(published=True)

    def good_practices(self) -> Self:
        """An initiative is a good practice once it has its replication sheet."""
        return self.filter(replication_sheet__isnull=False)

    def live(self) -> Self:
        """What exists on the ground: neither abandoned nor (for the per-commune table) a mere project."""
        return self.exclude(status=InitiativeStatus.ABANDONED)


InitiativeManager = models.Manager.from_queryset(InitiativeQuerySet)


class Initiative(FieldChecks, TerritoryScopedModel):
    title = models.CharField(_("intitulé"), max_length=200)
    summary = models.TextField(_("présentation"), blank=True, help_text=_("Montrée sur le site public."))
    theme = models.CharField(_("thème"), max_length=30, choices=Theme.choices, db_index=True)
    audiences = models.JSONField(_("publics visés"), default=list, blank=True)
    communes = models.ManyToManyField("portal.Commune", verbose_name=_("communes"), related_name="+", blank=True)
    carrier = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("porteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    partners = models.ManyToManyField(
        "portal.Organisation", verbose_name=_("partenaires"), related_name="+", blank=True
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    budget = models.DecimalField(_("budget total (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.PLANNED, db_index=True
    )
    people_reached = models.PositiveIntegerField(_("personnes touchées"), null=True, blank=True)
    results = models.TextField(_("résultats"), blank=True)
    evaluation = models.TextField(_("évaluation"), blank=True)
    published = models.BooleanField(
        _("visible sur le site public"),
        default=True,
        help_text=_("Intitulé, thème, communes, porteur et présentation ; jamais le budget ni les notes."),
    )
    internal_notes = models.TextField(_("notes internes"), blank=True)
    replicated_from = models.ForeignKey(
        "self",
        verbose_name=_("réplique de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects: ClassVar[InitiativeManager] = InitiativeManager()

    class Meta:
        verbose_name = _("action de prévention")
        verbose_name_plural = _("actions de prévention")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["territory", "theme", "status"], name="initiative_territory_theme")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="initiative_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def field_errors(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = [_("La fin doit être après le début de l'action.")]
        if self.replicated_from_id and self.replicated_from_id == self.pk:
            errors["replicated_from"] = [_("Une action ne peut pas être sa propre réplique.")]
        return errors

    @property
    def is_good_practice(self) -> bool:
        """Has its replication sheet (read with select_related("replication_sheet") in lists)."""
        return hasattr(self, "replication_sheet")

    def get_audiences_display(self) -> list[str]:
        from prevention.enums import Audience

        labels = dict(Audience.choices)
        return [str(labels.get(code, code)) for code in self.audiences or []]


class Funding(FieldChecks, TerritoryScopedModel):
    """One funder's part of an initiative's budget; the CLS prevention envelope names its action sheet."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("action"), on_delete=models.CASCADE, related_name="fundings"
    )
    source = models.CharField(_("financement"), max_length=20, choices=FundingSource.choices)
    funder = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("financeur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("année"))
    cls_action_code = models.CharField(
        _("fiche action du CLS"),
        max_length=20,
        blank=True,
        validators=[validate_cls_action_code],
        help_text=_("Numéro de la fiche action du CLS (par exemple 4.2), obligatoire pour l'enveloppe du CLS."),
    )

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        ordering = ["initiative", "year", "source"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.year} — {self.amount} €"

    def field_errors(self):
        if self.source == FundingSource.CLS_ENVELOPE and not self.cls_action_code:
            return {
                "cls_action_code": [_("L'enveloppe prévention du CLS finance une fiche action : indiquez son numéro.")]
            }
        return {}


def initiative_document_path(instance, filename):
    # An unguessable name: files are served by a view that checks who asks, never by URL alone.
    return f"prevention/{instance.territory_id}/{uuid.uuid4().hex}.pdf"


def validate_pdf(file) -> None:
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Ce fichier n'est pas un PDF."))


class InitiativeDocument(TerritoryScopedModel):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("action"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier PDF"),
        upload_to=initiative_document_path,
        max_length=255,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document d'une action")
        verbose_name_plural = _("documents des actions")
        ordering = ["initiative", "title"]

    def __str__(self):
        return self.title


class ReplicationSheet(TerritoryScopedModel):
    """The sheet that makes an initiative a good practice: what another commune needs to do it too.
    This (with the initiative's public description) is what a sharing territory shows the others."""

    initiative = models.OneToOneField(
        Initiative, verbose_name=_("action"), on_delete=models.CASCADE, related_name="replication_sheet"
    )
    why_it_works = models.TextField(_("pourquoi ça marche"))
    key_steps = models.TextField(_("étapes clés"))
    resources_needed = models.TextField(_("moyens nécessaires"), blank=True)
    pitfalls = models.TextField(_("écueils à éviter"), blank=True)
    contact = models.CharField(_("contact pour en parler"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("fiche de bonne pratique")
        verbose_name_plural = _("fiches de bonnes pratiques")
        ordering = ["initiative"]

    def __str__(self):
        return str(_("Bonne pratique : %(title)s") % {"title": self.initiative.title})
