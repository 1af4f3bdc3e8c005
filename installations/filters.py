"""Filters (django-filter) of the public list of opportunities and of the coordinator's case list."""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from installations.enums import OPEN_STATUSES, CaseStatus, NeedKind, NeedState, OpportunityKind
from installations.models import Case, Need, Opportunity, no_answer_days
from portal.enums import Profession
from portal.forms import QuickSelect
from portal.models import Commune


class OpportunityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=OpportunityKind.choices, empty_label=_("Tous"))
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"), queryset=Commune.objects.none(), empty_label=_("Toutes")
    )
    profession = django_filters.ChoiceFilter(
        label=_("Profession"), choices=Profession.choices, empty_label=_("Toutes"), method="filter_profession"
    )

    class Meta:
        model = Opportunity
        fields = ["kind", "commune", "profession"]

    def __init__(self, *args, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the territory's communes are offered (and accepted).
        field = self.filters["commune"]
        field.queryset = territory.communes.order_by("name") if territory is not None else Commune.objects.none()
        self.form.fields["commune"].label_from_instance = lambda commune: commune.name

    def filter_profession(self, queryset, name, value):
        # No profession listed means "open to every profession".
        return queryset.filter(Q(professions__contains=[value]) | Q(professions=[]))


# --- the coordinator's case list (admin) ---------------------------------------------------------

OPEN = "open"
WAITING_ON_TEAM, NO_ANSWER = "coordinator", "no_answer"
WAITING_ON_APPLICANT, WAITING_ON_PARTNER = "applicant", "partner"
AGE_BUCKETS = {
    "7": (None, 7, _("moins de 7 jours")),
    "30": (7, 30, _("7 à 30 jours")),
    "90": (30, 90, _("1 à 3 mois")),
    "old": (90, None, _("plus de 3 mois")),
}


class CaseListFilter(django_filters.FilterSet):
    """What the coordinator's case list keeps, validated like a form: a wrong value is refused next
    to its field and the other filters still apply. The communes and coordinators offered (and
    accepted) are those of the user's territories. The same filters make the CSV export, so the
    export holds exactly the list on screen."""

    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_search")
    status = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Statut"),
        choices=[(OPEN, _("À traiter")), *CaseStatus.choices],
        empty_label=_("Tous"),
        method="filter_status",
    )
    waiting_on = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Qui doit répondre"), empty_label=_("Peu importe"), method="filter_waiting_on"
    )
    need = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Besoin"), choices=NeedKind.choices, empty_label=_("Tous"), method="filter_need"
    )
    profession = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Profession"), choices=Profession.choices, empty_label=_("Toutes")
    )
    commune = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Commune"), empty_label=_("Toutes"), method="filter_commune"
    )
    assigned = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Coordinateur en charge"), empty_label=_("Tous"), method="filter_assigned"
    )
    age = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=_("Ancienneté de la demande"),
        choices=[(key, label) for key, (_low, _high, label) in AGE_BUCKETS.items()],
        empty_label=_("Toutes"),
        method="filter_age",
    )
    o = django_filters.OrderingFilter(
        label=_("Trier par"),
        fields=(
            ("reference", "reference"),
            ("applicant_last_name", "applicant"),
            ("profession", "profession"),
            ("status", "status"),
            ("assigned_to__last_name", "assigned"),
            ("submitted_at", "submitted"),
            ("contact_reference", "contact"),
        ),
    )

    # Filters a partner referent gets (they see only the cases of needs referred to them).
    PARTNER_FILTERS = ("q", "status", "o")

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request, team: bool, communes=(), coordinators=(), **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.team = team
        if not team:
            for name in set(self.filters) - set(self.PARTNER_FILTERS):
                del self.filters[name]
            return
        self.filters["waiting_on"].extra["choices"] = [
            (WAITING_ON_TEAM, _("l'équipe (le demandeur attend une réponse)")),
            (NO_ANSWER, _("l'équipe, sans réponse depuis %(days)s jours") % {"days": no_answer_days()}),
            (WAITING_ON_APPLICANT, _("le demandeur")),
            (WAITING_ON_PARTNER, _("un partenaire")),
        ]
        self.filters["commune"].extra["choices"] = [(str(pk), name) for pk, name in communes]
        self.filters["assigned"].extra["choices"] = [
            ("me", _("Moi")),
            ("none", _("Personne")),
            *((str(user.pk), str(user)) for user in coordinators),
        ]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Newest first unless a column is chosen; the primary key breaks ties so pages never overlap.
        ordering = self.form.cleaned_data.get("o")
        if not ordering:
            return queryset.order_by("-submitted_at", "-id")
        return queryset.order_by(*queryset.query.order_by, "-id" if ordering[0].startswith("-") else "id")

    def filter_search(self, queryset, name, value):
        # Every word must appear in the reference, a name or the specialty (or be the e-mail).
        for word in value.split()[:10]:
            match = Q(reference__icontains=word)
            if self.team:
                match |= (
                    Q(applicant_email__iexact=word)
                    | Q(applicant_last_name__icontains=word)
                    | Q(applicant_first_name__icontains=word)
                    | Q(specialty__icontains=word)
                )
            queryset = queryset.filter(match)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_waiting_on(self, queryset, name, value):
        if value == WAITING_ON_TEAM:
            return queryset.awaiting_answer()
        if value == NO_ANSWER:
            return queryset.without_answer_for()
        if value == WAITING_ON_APPLICANT:
            return queryset.filter(status=CaseStatus.WAITING_APPLICANT)
        return queryset.filter(Exists(Need.objects.filter(case=OuterRef("pk"), state=NeedState.REFERRED)))

    def filter_need(self, queryset, name, value):
        return queryset.filter(Exists(Need.objects.filter(case=OuterRef("pk"), kind=value)))

    def filter_commune(self, queryset, name, value):
        # A commune the applicant targets, or where they settled.
        targeted = Case.target_communes.through.objects.filter(case_id=OuterRef("pk"), commune_id=int(value))
        return queryset.filter(Q(Exists(targeted)) | Q(settlement_commune_id=int(value)))

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_to=self.request.user)
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to_id=int(value))

    def filter_age(self, queryset, name, value):
        low, high, _label = AGE_BUCKETS[value]
        now = timezone.now()
        if low is not None:
            queryset = queryset.filter(submitted_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            queryset = queryset.filter(submitted_at__gt=now - datetime.timedelta(days=high))
        return queryset
