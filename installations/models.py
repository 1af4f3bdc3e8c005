"""The guichet unique: a health professional's request for help settling in a territory (a `Case`),
its needs, timeline, messages, private notes and documents; the territory's catalogue of aids, its
published opportunities, and the follow-ups after settlement.

Business rules (transitions, permissions, notifications) live in `installations.services`; the one rule
kept here is when a case counts as waiting for an answer (`CaseQuerySet`), which the list, its filter
and the reminders share.
"""

import datetime
import secrets
from pathlib import PurePosixPath
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from installations.enums import (
    CaseStatus,
    CurrentSituation,
    EventKind,
    Funder,
    NeedKind,
    NeedState,
    OpportunityKind,
    ReferralAnswer,
    StructureType,
)
from portal.enums import ArsZone, PracticeMode, Profession
from portal.tenancy.models import TerritoryQuerySet, TerritoryScopedModel
from portal.validators import validate_rpps


def new_confirmation_nonce():
    return secrets.token_hex(16)


# --- "no answer for N days": one rule for the list's filter and highlight and the reminders ---------

# The statuses in which the team owes the applicant an answer while `awaiting_reply_since` is set.
ANSWERING_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.SUPPORTED)


def no_answer_days() -> int:
    """After this many days without an answer from the team, a case is late."""
    return int(getattr(settings, "INSTALLATIONS_NO_ANSWER_DAYS", 7))


def waiting_applicant_days() -> int:
    """After this many days waiting for the applicant, the team is reminded to chase them up or close."""
    return int(getattr(settings, "INSTALLATIONS_WAITING_APPLICANT_DAYS", 21))


def no_answer_cutoff(*, now: datetime.datetime | None = None, days: int | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=no_answer_days() if days is None else days)


def without_answer_condition(*, now: datetime.datetime | None = None, days: int | None = None) -> models.Q:
    """The applicant has waited for the team for more than `days` (default: the setting) days."""
    return models.Q(status__in=ANSWERING_STATUSES, awaiting_reply_since__lt=no_answer_cutoff(now=now, days=days))


def is_without_answer(
    status: str, awaiting_reply_since: datetime.datetime | None, *, cutoff: datetime.datetime
) -> bool:
    """A row's side of `without_answer_condition` (`cutoff`: `no_answer_cutoff()`), for rows already read."""
    return status in ANSWERING_STATUSES and awaiting_reply_since is not None and awaiting_reply_since < cutoff


class CaseQuerySet(TerritoryQuerySet["Case"]):
    def awaiting_answer(self) -> Self:
        """The applicant waits for the team (a new request, or their message not yet answered)."""
        return self.filter(status__in=ANSWERING_STATUSES, awaiting_reply_since__isnull=False)

    def without_answer_for(self, days: int | None = None, *, now: datetime.datetime | None = None) -> Self:
        """Those waiting for the team for more than `days` days (default: INSTALLATIONS_NO_ANSWER_DAYS)."""
        return self.filter(without_answer_condition(now=now, days=days))

    def with_no_answer_flag(self, *, now: datetime.datetime | None = None) -> Self:
        """Adds `no_answer`, True for the cases `without_answer_for()` keeps: a plain column compared
        with a constant, so that a list stays one index-friendly query."""
        return self.annotate(
            no_answer=models.Case(
                models.When(without_answer_condition(now=now), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class PerRowExists(models.Exists):
    """EXISTS that PostgreSQL evaluates for each row of the outer query, never as a join.

    As a semi-join, a need filter made PostgreSQL join every need of the kind in the territory (or,
    without a territory condition, in every territory: 145 ms at 1,000,000 cases) and sort the
    result, because it misjudges how many cases have such a need. Checked row by row while the list
    is read in its order from its index, it stops once the page is full: ~1 ms. `OFFSET 0` is the
    documented way to keep PostgreSQL from pulling a subquery up into a join (SQLite accepts it)."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


CaseManager = models.Manager.from_queryset(CaseQuerySet)


class Case(TerritoryScopedModel):
    """A request for help with settling, followed by a coordinator until it ends."""

    reference = models.CharField(_("référence"), max_length=24, editable=False)
    # Sent by the form with each submission: a second click or a resent POST finds the same case.
    idempotency_key = models.CharField(_("clé d'idempotence"), max_length=64, blank=True, editable=False)
    status = models.CharField(_("statut"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED)

    # Who asks. `applicant` is set once the e-mail is confirmed (or at once for a signed-in person);
    # it becomes NULL when the personal data is erased.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandeur (compte)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="installation_cases",
    )
    applicant_email = models.EmailField(_("e-mail du demandeur"))
    applicant_first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    applicant_last_name = models.CharField(_("nom"), max_length=150, blank=True)
    applicant_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmé le"), null=True, blank=True)
    # Random part of the e-mail confirmation link (the link itself is signed, see services).
    confirmation_nonce = models.CharField(max_length=32, default=new_confirmation_nonce, editable=False)
    # Set when the confirmation e-mail is put in the notifications outbox (once per case); the
    # outbox sends it after the commit, or its sweep does.
    confirmation_sent_at = models.DateTimeField(_("e-mail de confirmation mis en envoi le"), null=True, blank=True)

    # Snapshot of who they are at the time of the request.
    profession = models.CharField(_("profession"), max_length=30, choices=Profession.choices)
    specialty = models.CharField(_("spécialité"), max_length=120, blank=True)
    current_situation = models.CharField(
        _("situation actuelle"), max_length=20, choices=CurrentSituation.choices, blank=True
    )
    rpps = models.CharField(_("numéro RPPS"), max_length=11, blank=True, validators=[validate_rpps])

    # The project.
    target_communes = models.ManyToManyField(
        "portal.Commune", verbose_name=_("communes envisagées"), blank=True, related_name="+"
    )
    planned_date = models.DateField(_("date d'installation envisagée"), null=True, blank=True)
    practice_mode = models.CharField(_("mode d'exercice"), max_length=10, choices=PracticeMode.choices, blank=True)
    structure_type = models.CharField(_("type de structure"), max_length=20, choices=StructureType.choices, blank=True)
    project_description = models.TextField(_("le projet en quelques mots"), blank=True)

    # Follow-up by the territory.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinateur en charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_installation_cases",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("déposée le"))
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("premier contact le"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("dernier contact le"), null=True, blank=True)
    # Set when the applicant is waiting for the coordinator (new request, or a message from them),
    # cleared when the coordinator writes: "no answer for N days" reads this one column.
    awaiting_reply_since = models.DateTimeField(_("attend une réponse depuis"), null=True, blank=True)
    last_reminder_at = models.DateTimeField(_("dernière relance le"), null=True, blank=True)
    settled_at = models.DateTimeField(_("installation enregistrée le"), null=True, blank=True)
    settlement_date = models.DateField(_("date d'installation"), null=True, blank=True)
    settlement_commune = models.ForeignKey(
        "portal.Commune",
        verbose_name=_("commune d'installation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    # The same person's open request in the same territory when this one was submitted (same account,
    # e-mail or RPPS; installations.services.submission): flagged to the coordinator, never blocking.
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("demande en double possible de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Household details: only with explicit consent, kept until the stated deadline.
    household_consent = models.BooleanField(_("consentement pour les informations du foyer"), default=False)
    household_consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    household_retention_until = models.DateField(_("informations du foyer conservées jusqu'au"), null=True, blank=True)
    spouse_profession = models.CharField(_("profession du conjoint ou de la conjointe"), max_length=150, blank=True)
    children_ages = models.JSONField(_("âge des enfants"), default=list, blank=True)

    aids = models.ManyToManyField(
        "installations.Aid", verbose_name=_("aides associées"), blank=True, related_name="cases"
    )
    erased_at = models.DateTimeField(_("données personnelles effacées le"), null=True, blank=True)

    # Annotated: managers are class variables in django-stubs, and an override must say so.
    objects: ClassVar[CaseManager] = CaseManager()

    # Not columns: set on the rows of the coordinators' list by installations.selectors
    # (describe_case_rows, after annotate_case_list's `contact_reference`).
    days_since_contact: int | None
    waiting_on: str

    @property
    def possible_duplicate(self) -> "Case | None":
        """The same person's earlier open request this one may duplicate: of this territory only,
        whatever was stored (the flag never shows another territory's case)."""
        other = self.possible_duplicate_of if self.possible_duplicate_of_id else None
        return other if other is not None and other.territory_id == self.territory_id else None

    class Meta:
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "reference"], name="installations_case_unique_reference"),
            models.UniqueConstraint(
                fields=["territory", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="installations_case_unique_idempotency_key",
            ),
        ]
        indexes = [
            # The coordinator's list: filtered by status, newest first (and unfiltered, newest first).
            models.Index(fields=["territory", "status", "-submitted_at", "-id"], name="inst_case_status_date"),
            models.Index(fields=["territory", "-submitted_at", "-id"], name="inst_case_date"),
            # With the id: the sort by coordinator reads a page's ids from this index alone.
            models.Index(fields=["territory", "assigned_to", "status", "id"], name="inst_case_assignee"),
            models.Index(fields=["territory", "awaiting_reply_since"], name="inst_case_awaiting"),
            models.Index(fields=["applicant_email"], name="inst_case_applicant_email"),
            # The list's other sorts (both directions: an index is read backwards as fast), each with
            # the territory first; a status tab reads the same index and skips the other statuses.
            models.Index(F("territory"), F("reference"), F("id"), name="inst_case_sort_reference"),
            models.Index(F("territory"), F("applicant_last_name"), F("id"), name="inst_case_sort_applicant"),
            models.Index(F("territory"), F("profession"), F("id"), name="inst_case_sort_profession"),
            models.Index(
                F("territory"), Coalesce("last_contact_at", "submitted_at"), F("id"), name="inst_case_sort_contact"
            ),
            # The search (CaseListFilter.filter_search) also has a trigram index on SEARCH_TEXT,
            # PostgreSQL only: migration 0004 creates it, outside this list so that SQLite can still
            # rebuild the table.
        ]

    # What the coordinators' search reads, as one text: see CaseListFilter.filter_search.
    SEARCH_TEXT = Concat(
        "reference",
        models.Value(" "),
        "applicant_first_name",
        models.Value(" "),
        "applicant_last_name",
        models.Value(" "),
        "specialty",
        output_field=models.TextField(),
    )

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def applicant_name(self):
        return f"{self.applicant_first_name} {self.applicant_last_name}".strip() or self.applicant_email

    @property
    def awaiting_answer(self) -> bool:
        """The row's side of `CaseQuerySet.awaiting_answer()`: the applicant waits for the team."""
        return self.status in ANSWERING_STATUSES and self.awaiting_reply_since is not None

    @property
    def is_open(self):
        from installations.enums import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    def get_admin_url(self):
        return reverse("admin:installations_case_change", args=[self.pk])


class Need(TerritoryScopedModel):
    """One thing the applicant needs help with; each has its own state, owner and due date and can be
    referred to a partner referent, who then sees that need and only that."""

    case = models.ForeignKey(Case, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("besoin"), max_length=20, choices=NeedKind.choices)
    details = models.TextField(_("précisions"), blank=True)
    state = models.CharField(_("état"), max_length=20, choices=NeedState.choices, default=NeedState.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    referred_to = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("orienté vers"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("référent partenaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_installation_needs",
    )
    referred_at = models.DateTimeField(_("orienté le"), null=True, blank=True)
    # Asked at referral time: may the partner see the applicant's e-mail and phone?
    contact_consent = models.BooleanField(
        _("le demandeur accepte que ses coordonnées soient transmises au partenaire"), default=False
    )
    referral_answer = models.CharField(
        _("réponse du partenaire"), max_length=10, choices=ReferralAnswer.choices, blank=True, default=""
    )
    referral_reason = models.TextField(_("motif de la réponse"), blank=True)
    referral_answered_at = models.DateTimeField(_("réponse reçue le"), null=True, blank=True)
    referral_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("réponse enregistrée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")
        ordering = ["case", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "case", "kind"], name="installations_need_unique_kind"),
        ]
        indexes = [
            models.Index(fields=["territory", "referent", "state"], name="inst_need_referent"),
            models.Index(fields=["territory", "kind"], name="inst_need_kind"),
            # "Waiting on a partner" in the case list: the territory's referred needs, read from the index alone.
            models.Index(fields=["territory", "state", "case"], name="inst_need_state"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.case})"


class CaseEvent(TerritoryScopedModel):
    """The case's timeline: who did what, when. `public` events are shown to the applicant."""

    case = models.ForeignKey(Case, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="events")
    need = models.ForeignKey(
        Need, verbose_name=_("besoin"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=30, choices=EventKind.choices)
    summary = models.CharField(_("résumé"), max_length=255)
    payload = models.JSONField(_("détails"), default=dict, blank=True)
    public = models.BooleanField(_("visible par le demandeur"), default=False)
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("historique")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="inst_event_case_date")]

    def __str__(self):
        return self.summary


class Message(TerritoryScopedModel):
    """Exchanged between the applicant and the territory; always visible to the applicant."""

    case = models.ForeignKey(Case, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_applicant = models.BooleanField(_("écrit par le demandeur"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="inst_message_case_date")]

    def __str__(self):
        return self.body[:60]


class Note(TerritoryScopedModel):
    """A private note of the territory's team (or of a partner on the need referred to them).

    A separate table from `Message` so that no query written for the applicant can ever reach it.
    """

    case = models.ForeignKey(Case, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="notes")
    need = models.ForeignKey(
        Need, verbose_name=_("besoin"), on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="inst_note_case_date")]

    def __str__(self):
        return self.body[:60]


def case_document_path(instance, filename):
    # Non-guessable: nothing of the case, the person or the original name appears in the path.
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"installations/documents/{secrets.token_hex(16)}{suffix}"


class CaseDocument(TerritoryScopedModel):
    """A file attached to a case (PDF, PNG or JPEG, at most 10 MB, checked by its content)."""

    case = models.ForeignKey(Case, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("fichier"), upload_to=case_document_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_applicant = models.BooleanField(_("déposé par le demandeur"), default=False)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


class Aid(TerritoryScopedModel):
    """An installation aid of the territory's catalogue. Empty `professions` means every profession;
    empty `communes` means every commune matching the zoning."""

    name = models.CharField(_("nom"), max_length=200)
    funder = models.CharField(_("financeur"), max_length=20, choices=Funder.choices)
    amount = models.DecimalField(_("montant maximal (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    amount_note = models.CharField(
        _("précision sur le montant"), max_length=200, blank=True, help_text=_("Par exemple : par an, pendant 2 ans.")
    )
    conditions = models.TextField(_("conditions"), blank=True)
    professions = models.JSONField(_("professions concernées"), default=list, blank=True)
    # ArsZone values: the aid applies where the commune's zone, in the zoning of the applicant's own
    # profession, is one of them. Empty: no zoning condition.
    zones = models.JSONField(_("zones ARS concernées"), default=list, blank=True)
    communes = models.ManyToManyField(
        "portal.Commune",
        verbose_name=_("communes concernées"),
        blank=True,
        related_name="+",
        help_text=_("Laisser vide si l'aide vaut pour tout le territoire."),
    )
    link = models.URLField(_("lien"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("aide à l'installation")
        verbose_name_plural = _("aides à l'installation")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="installations_aid_unique_name")]

    def __str__(self):
        return self.name

    def zones_display(self) -> str:
        if not self.zones:
            return str(_("Sans condition de zonage"))
        return ", ".join(str(ArsZone(z).label) for z in self.zones if z in ArsZone.values)


class Opportunity(TerritoryScopedModel):
    """Premises, a practice to take over, a group practice recruiting, a hospital post, housing."""

    kind = models.CharField(_("type"), max_length=20, choices=OpportunityKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    commune = models.ForeignKey(
        "portal.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"))
    professions = models.JSONField(_("professions recherchées"), default=list, blank=True)
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    link = models.URLField(_("lien"), blank=True)
    published = models.BooleanField(_("publiée"), default=False)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    expires_on = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    cases = models.ManyToManyField(Case, verbose_name=_("demandes liées"), blank=True, related_name="opportunities")

    class Meta:
        verbose_name = _("opportunité")
        verbose_name_plural = _("opportunités")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["territory", "published", "kind"], name="inst_opportunity_published")]

    def __str__(self):
        return self.title


class FollowUp(TerritoryScopedModel):
    """After settlement, at 1, 3 and 5 years: is the professional still practising here?"""

    case = models.ForeignKey(Case, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="follow_ups")
    years = models.PositiveSmallIntegerField(_("après (années)"))
    due_date = models.DateField(_("échéance"))
    # The professional is asked first (an e-mail with a signed link); the team is reminded only
    # when they have not answered within FOLLOW_UP_ANSWER_DAYS (services/follow_ups.py).
    asked_at = models.DateTimeField(_("question envoyée au professionnel le"), null=True, blank=True)
    answered_by_professional = models.BooleanField(_("réponse du professionnel"), default=False)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fait par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    still_practising = models.BooleanField(_("exerce toujours sur le territoire"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("suivi après installation")
        verbose_name_plural = _("suivis après installation")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "case", "years"], name="installations_followup_unique_year")
        ]
        indexes = [models.Index(fields=["territory", "due_date"], name="inst_followup_due")]

    def __str__(self):
        return _("Suivi à %(years)s an(s) de %(case)s") % {"years": self.years, "case": self.case}
