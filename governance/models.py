"""The territory's health bodies: members and mandates, meetings, the register, working groups, the
CLS action plan and the annual report. Every row belongs to a territory (see portal.tenancy)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.enums import (
    ActionStatus,
    Attendance,
    BodyKind,
    DeliberationKind,
    MeetingKind,
    MeetingStatus,
    MemberCategory,
    Outcome,
    Position,
    Reply,
)
from governance.validators import validate_meeting_document
from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel


class Body(TerritoryScopedModel):
    """A council or committee: Conseil de santé, Comité de pilotage, CLSM, commission santé."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type d'instance"), max_length=30, choices=BodyKind.choices)
    description = models.TextField(_("missions"), blank=True)
    # The quorum rule the body sets itself: this fraction of its voting members, present or
    # (when allowed) represented. Kept as two integers so 1/2 or 2/3 are exact.
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum : numérateur"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum : dénominateur"), default=2)
    quorum_counts_represented = models.BooleanField(_("les membres représentés comptent pour le quorum"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="governance_body_unique_name"),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0) & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="governance_body_quorum_fraction",
            ),
        ]

    def __str__(self):
        return self.name


class College(TerritoryScopedModel):
    """A college inside a body, e.g. the Collège des professionnels of the Conseil de santé."""

    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.CASCADE, related_name="colleges")
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("collège")
        verbose_name_plural = _("collèges")
        ordering = ["body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "body", "name"], name="governance_college_unique_name")
        ]

    def __str__(self):
        return self.name


class MandateQuerySet(TerritoryQuerySet["Mandate"]):
    def on(self, day: date) -> Self:
        """Mandates running on `day` (start and end dates included)."""
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def during(self, start: date, end: date) -> Self:
        """Mandates running at some point between `start` and `end` (both included)."""
        return self.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))


MandateManager = models.Manager.from_queryset(MandateQuerySet)


class Mandate(TerritoryScopedModel):
    """One seat held by a person or an organisation's representative, between two dates.

    Past mandates are kept: the composition on any date is the mandates running that day. The seat
    is the person (user account) or, without an account, the organisation (a substitute holding a
    seat of its own), and one seat may not hold two mandates over the same days.
    """

    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.CASCADE, related_name="mandates")
    college = models.ForeignKey(
        College, verbose_name=_("collège"), on_delete=models.SET_NULL, null=True, blank=True, related_name="mandates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne (compte)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_mandates",
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation représentée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person_name = models.CharField(
        _("nom du représentant"), max_length=200, blank=True, help_text=_("Quand la personne n'a pas de compte.")
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=MemberCategory.choices)
    position = models.CharField(_("fonction"), max_length=20, choices=Position.choices, default=Position.MEMBER)
    is_voting = models.BooleanField(_("voix délibérative"), default=True)
    start_date = models.DateField(_("début du mandat"))
    end_date = models.DateField(_("fin du mandat"), null=True, blank=True)

    # Annotated: managers are class variables in django-stubs, and an override must say so.
    objects: ClassVar[MandateManager] = MandateManager()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats (composition)")
        ordering = ["body", "position", "person_name", "pk"]
        indexes = [models.Index(fields=["body", "start_date", "end_date"], name="governance_mandate_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(organisation__isnull=False) | ~Q(person_name=""),
                name="governance_mandate_has_holder",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="governance_mandate_dates_order",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        user, organisation = self.user, self.organisation  # None, without a query, when the id is
        person = (user.get_full_name() or user.email) if user is not None else self.person_name
        if organisation is not None:
            return f"{person} ({organisation.name})" if person else organisation.name
        return person


class WorkingGroup(TerritoryScopedModel):
    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("nom"), max_length=200)
    theme = models.CharField(_("thème"), max_length=200)
    objectives = models.TextField(_("objectifs"), blank=True)
    agent_pilot = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-pilote (agent du territoire)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    professional_pilot = models.ForeignKey(
        Mandate,
        verbose_name=_("co-pilote (professionnel)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="piloted_groups",
    )
    members = models.ManyToManyField(
        Mandate,
        verbose_name=_("membres désignés par le collège"),
        blank=True,
        related_name="working_groups",
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        ordering = ["body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "body", "name"], name="governance_group_unique_name")
        ]

    def __str__(self):
        return self.name


class ProgressNote(TerritoryScopedModel):
    working_group = models.ForeignKey(
        WorkingGroup, verbose_name=_("groupe de travail"), on_delete=models.CASCADE, related_name="progress_notes"
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("avancement"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("note d'avancement")
        verbose_name_plural = _("notes d'avancement")
        ordering = ["-written_on", "-pk"]

    def __str__(self):
        return f"{self.working_group} — {self.written_on:%d/%m/%Y}"


class Meeting(TerritoryScopedModel):
    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.CASCADE, related_name="meetings")
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("groupe de travail"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    kind = models.CharField(_("type de réunion"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    status = models.CharField(_("état"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    # Bumped each time convocations are (re)sent: calendar clients replace the event (RFC 5546).
    ics_sequence = models.PositiveIntegerField(_("version de l'invitation"), default=0, editable=False)
    convened_at = models.DateTimeField(_("convoquée le"), null=True, blank=True, editable=False)
    minutes = models.TextField(_("compte rendu"), blank=True)
    minutes_published_at = models.DateTimeField(_("compte rendu publié le"), null=True, blank=True, editable=False)
    minutes_public = models.BooleanField(
        _("compte rendu public"), default=False, help_text=_("Sinon, réservé aux membres, aux élus et à l'équipe.")
    )
    minutes_document = models.ForeignKey(
        "documents.GeneratedDocument",
        verbose_name=_("compte rendu (PDF)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["territory", "body", "starts_at"], name="governance_meeting_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="governance_meeting_ends_after_start")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("La réunion doit se terminer après son début.")})
        if self.working_group_id and self.body_id and self.working_group.body_id != self.body_id:
            raise ValidationError({"working_group": _("Ce groupe de travail dépend d'une autre instance.")})


class AgendaItem(TerritoryScopedModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("ordre"), default=1)
    title = models.CharField(_("point"), max_length=255)
    description = models.TextField(_("précisions"), blank=True)

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title


def meeting_document_path(instance, filename):
    import uuid

    # An unguessable name: files are served by a view that checks who asks, never by URL alone.
    return f"governance/{instance.territory_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class MeetingDocument(TerritoryScopedModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier"), upload_to=meeting_document_path, max_length=255, validators=[validate_meeting_document]
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document de séance")
        verbose_name_plural = _("documents de séance")
        ordering = ["meeting", "title"]

    def __str__(self):
        return self.title


class Participation(TerritoryScopedModel):
    """One member invited to one meeting: the convocation, their reply and their attendance."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="participations"
    )
    mandate = models.ForeignKey(
        Mandate, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="participations"
    )
    convened_at = models.DateTimeField(_("convoqué le"), null=True, blank=True)
    reply = models.CharField(_("réponse"), max_length=20, choices=Reply.choices, default=Reply.PENDING)
    represented_by = models.ForeignKey(
        Mandate,
        verbose_name=_("représenté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True, editable=False)
    attendance = models.CharField(_("présence"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN)

    class Meta:
        verbose_name = _("convocation et présence")
        verbose_name_plural = _("convocations et présences")
        ordering = ["meeting", "mandate"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "meeting", "mandate"], name="governance_participation_unique"),
            models.CheckConstraint(
                condition=~Q(represented_by=F("mandate")), name="governance_participation_not_self_represented"
            ),
        ]

    def __str__(self):
        return f"{self.mandate} — {self.meeting}"


class Deliberation(TerritoryScopedModel):
    """A deliberation or an opinion, numbered in the body's register per year ("2026-03")."""

    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.CASCADE, related_name="deliberations")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("séance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliberations",
    )
    year = models.PositiveSmallIntegerField(_("année"), editable=False)
    number = models.PositiveSmallIntegerField(_("numéro"), editable=False)
    kind = models.CharField(_("nature"), max_length=20, choices=DeliberationKind.choices)
    title = models.CharField(_("objet"), max_length=255)
    text = models.TextField(_("texte"), blank=True)
    decided_on = models.DateField(_("date"))
    votes_for = models.PositiveSmallIntegerField(_("pour"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("contre"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    outcome = models.CharField(_("résultat"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("délibération ou avis")
        verbose_name_plural = _("registre des délibérations et avis")
        ordering = ["body", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "body", "year", "number"], name="governance_deliberation_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.year}-{self.number:02d}"


class ActionAxis(TerritoryScopedModel):
    """An axis of the territory's Contrat local de santé."""

    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=255)

    class Meta:
        verbose_name = _("axe du CLS")
        verbose_name_plural = _("axes du CLS")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["territory", "number"], name="governance_axis_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ActionSheet(TerritoryScopedModel):
    """A fiche action of the CLS."""

    axis = models.ForeignKey(ActionAxis, verbose_name=_("axe"), on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("numéro"), max_length=20, help_text=_("Par exemple 1.2"))
    title = models.CharField(_("intitulé"), max_length=255)
    pilot = models.CharField(_("pilote"), max_length=200)
    partners = models.TextField(_("partenaires"), blank=True)
    target_public = models.CharField(_("public visé"), max_length=255, blank=True)
    budget = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    funders = models.CharField(_("financeurs"), max_length=255, blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED)

    class Meta:
        verbose_name = _("fiche action")
        verbose_name_plural = _("fiches actions du CLS")
        ordering = ["axis__number", "code"]
        constraints = [models.UniqueConstraint(fields=["territory", "code"], name="governance_action_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


class Indicator(TerritoryScopedModel):
    action = models.ForeignKey(
        ActionSheet, verbose_name=_("fiche action"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicateur"), max_length=255)
    unit = models.CharField(_("unité"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["action", "name"]

    def __str__(self):
        return self.name


class IndicatorValue(TerritoryScopedModel):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    target = models.DecimalField(_("cible"), max_digits=12, decimal_places=2, null=True, blank=True)
    measured = models.DecimalField(_("valeur mesurée"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateurs")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "indicator", "year"], name="governance_indicator_value_year")
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}"


class AnnualReport(TerritoryScopedModel):
    """The bilan annuel of a body: generated as a PDF, sent to the community council, taken note of."""

    body = models.ForeignKey(Body, verbose_name=_("instance"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("année"))
    document = models.ForeignKey(
        "documents.GeneratedDocument",
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_public = models.BooleanField(_("public"), default=False)
    sent_to_council_at = models.DateField(_("transmis au conseil communautaire le"), null=True, blank=True)
    noted_at = models.DateField(_("pris acte par le conseil communautaire le"), null=True, blank=True)

    class Meta:
        verbose_name = _("bilan annuel")
        verbose_name_plural = _("bilans annuels")
        ordering = ["body", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "body", "year"], name="governance_report_unique_year"),
            models.CheckConstraint(
                condition=Q(noted_at__isnull=True) | Q(sent_to_council_at__isnull=False),
                name="governance_report_noted_after_sent",
            ),
        ]

    def __str__(self):
        return f"{self.body} — {self.year}"


class GovernanceEvent(TerritoryScopedModel):
    """What was done, by whom, when: the app's audit trail (written by services only)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("objet"), max_length=255)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("journal de la gouvernance")
        verbose_name_plural = _("journal de la gouvernance")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.verb} — {self.target}"
