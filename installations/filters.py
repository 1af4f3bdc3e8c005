"""Filters (django-filter) of the public list of opportunities and of the coordinator's case list."""

import copy
import datetime
from typing import ClassVar

import django_filters
from django import forms
from django.db.models import Case as SqlCase
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from installations.enums import OPEN_STATUSES, CaseStatus, NeedKind, OpportunityKind
from installations.forms import FrenchOrderIterator
from installations.models import Case, Need, Opportunity, PerRowExists, no_answer_days
from installations.selectors import waiting_on_partner
from portal.enums import Profession
from portal.forms import QuickSelect, QuickTextInput, SharedFields
from portal.models import Commune, User


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
        self.form.fields["commune"].iterator = FrenchOrderIterator  # "Écausseville" among the E's

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

    q = django_filters.CharFilter(widget=QuickTextInput, label=_("Rechercher"), method="filter_search")
    status = django_filters.ChoiceFilter(
        widget=QuickSelect(fixed_choices=True),
        label=_("Statut"),
        choices=[(OPEN, _("À traiter")), *CaseStatus.choices],
        empty_label=_("Tous"),
        method="filter_status",
    )
    waiting_on = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Qui doit répondre"), empty_label=_("Peu importe"), method="filter_waiting_on"
    )
    need = django_filters.ChoiceFilter(
        widget=QuickSelect(fixed_choices=True),
        label=_("Besoin"),
        choices=NeedKind.choices,
        empty_label=_("Tous"),
        method="filter_need",
    )
    profession = django_filters.ChoiceFilter(
        widget=QuickSelect(fixed_choices=True),
        label=_("Profession"),
        choices=Profession.choices,
        empty_label=_("Toutes"),
    )
    commune = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Commune"), empty_label=_("Toutes"), method="filter_commune"
    )
    assigned = django_filters.ChoiceFilter(
        widget=QuickSelect, label=_("Coordinateur en charge"), empty_label=_("Tous"), method="filter_assigned"
    )
    age = django_filters.ChoiceFilter(
        widget=QuickSelect(fixed_choices=True),
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

    # The form class of each set of filters (the team's, a partner's), built once per process, and
    # its fields shared by every form (portal.forms.SharedFields: Django deep-copied each field and
    # widget, choices and lazy labels included, at each view). The three fields whose choices are the
    # request's (the "no answer" delay, the team's communes and coordinators) are copied per form.
    _form_classes: ClassVar[dict[tuple[str, ...], type[forms.Form]]] = {}

    def __init__(self, data=None, queryset=None, *, request, team: bool, communes=(), coordinators=(), prefix=None):
        # What django-filter's __init__ does, without its deep copy of every filter and of their
        # choices at each request: each filter is copied as it is, its method bound to this filter set.
        if queryset is None:
            queryset = Case.objects.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: self._own_filter(base, queryset.model)
            for name, base in self.base_filters.items()
            if team or name in self.PARTNER_FILTERS
        }
        self.team = team
        self.communes = [(str(pk), name) for pk, name in communes]
        self.coordinators = list(coordinators)
        self.read_ids_first = False

    def _own_filter(self, base, model):
        own = copy.copy(base)
        own.model, own.parent = model, self
        if base.method is not None:
            own.method = base.method  # (a FilterMethod of its own, calling this filter set's method)
        return own

    def get_form_class(self):
        names = tuple(self.filters)
        if names not in self._form_classes:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            self._form_classes[names] = form_class
        return self._form_classes[names]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            form = form_class(self.data if self.is_bound else None, prefix=self.form_prefix)
            if self.team:
                # Plain (not lazy) labels: the select's options are looked up by its choices.
                self._own_choices(form, "waiting_on").choices = [
                    (WAITING_ON_TEAM, gettext("l'équipe (le demandeur attend une réponse)")),
                    (NO_ANSWER, gettext("l'équipe, sans réponse depuis %(days)s jours") % {"days": no_answer_days()}),
                    (WAITING_ON_APPLICANT, gettext("le demandeur")),
                    (WAITING_ON_PARTNER, gettext("un partenaire")),
                ]
                self._own_choices(form, "commune").choices = self.communes
                self._own_choices(form, "assigned").choices = [
                    ("me", gettext("Moi")),
                    ("none", gettext("Personne")),
                    *((str(user.pk), str(user)) for user in self.coordinators),
                ]
            self._form = form
        return self._form

    @staticmethod
    def _own_choices(form, name):
        """The form's own copy of a shared field (and of its widget), to set the request's choices on."""
        field = form.fields[name] = copy.copy(form.fields[name])
        field.widget = copy.copy(field.widget)
        return field

    def filter_queryset(self, queryset):
        if "contact" in str(self.form.cleaned_data.get("o") or ""):
            # The sort by last contact (its index is on this expression).
            queryset = queryset.alias(contact_reference=Coalesce("last_contact_at", "submitted_at"))
        queryset = super().filter_queryset(queryset)
        # Newest first unless a column is chosen; the primary key breaks ties so pages never overlap.
        ordering = self.form.cleaned_data.get("o")
        if not ordering:
            return queryset.order_by("-submitted_at", "-id")
        descending = ordering[0].startswith("-")
        if ordering[0].lstrip("-") == "assigned":
            # The list reads the ids of a page first (admin.read_by_ids_first), sorted without the users.
            self.read_ids_first = True
            name = self._assignee_last_name(queryset)
            if name is None:
                # Nobody to sort by (a partner's list knows no coordinator): the key alone.
                return queryset.order_by("-id" if descending else "id")
            return queryset.order_by(name.desc() if descending else name.asc(), "-id" if descending else "id")
        return queryset.order_by(*queryset.query.order_by, "-id" if descending else "id")

    def _assignee_last_name(self, queryset):
        """The assigned coordinator's last name (what the sort by coordinator compares), written into
        the query for each person the listed cases are assigned to: the team's, known already, and
        anyone else's (a former member), read once. NULL when nobody is assigned, as the join gave."""
        names = {user.pk: user.last_name for user in self.coordinators}
        others = (
            queryset.exclude(assigned_to__isnull=True)
            .exclude(assigned_to_id__in=list(names))
            .order_by()
            .values("assigned_to_id")
            .distinct()
        )
        names.update(User.objects.filter(pk__in=Subquery(others)).values_list("pk", "last_name"))
        if not names:
            # A CASE with no WHEN is a constant NULL, which PostgreSQL refuses in an ORDER BY.
            return None
        return SqlCase(
            *(When(assigned_to_id=pk, then=Value(name)) for pk, name in names.items()),
            default=Value(None),
            output_field=CharField(),
        )

    def filter_search(self, queryset, name, value):
        # Every word must appear in the reference, a name or the specialty (or be the e-mail). For the
        # team, those four columns are searched as one text (Case.SEARCH_TEXT: a word holds no space,
        # so it cannot match across two columns), which one trigram index serves (migration 0004):
        # four ILIKE scans of the territory's cases were most of a search's time.
        if self.team:
            queryset = queryset.alias(search_text=Case.SEARCH_TEXT)
        for word in value.split()[:10]:
            if not self.team:
                queryset = queryset.filter(reference__icontains=word)
                continue
            match = Q(search_text__icontains=word)
            if "@" in word:
                # Only a word with an "@" can be an e-mail address (the only exact match).
                match |= Q(applicant_email__iexact=word)
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
        # Driven from the territory's referred needs (few, read from inst_need_state alone), not row by
        # row: a tab where no case waits on a partner would be read to its end. PostgreSQL misjudges how
        # many cases match and would join every one to its coordinator before sorting: the page's ids
        # are read first (admin.case_list.read_by_ids_first).
        self.read_ids_first = True
        return waiting_on_partner(queryset)

    def filter_need(self, queryset, name, value):
        # Checked case by case as the list is read in its order, one look-up in the unique index on
        # (territory, case, kind) each, until the page is full (PerRowExists).
        needs = Need.objects.filter(territory_id=OuterRef("territory_id"), case=OuterRef("pk"), kind=value)
        return queryset.filter(PerRowExists(needs))

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
