"""Forms of the governance app: the member's reply on the site, and the admin forms whose checks
are the services' own (so a refusal reads the same wherever the data comes from)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.enums import Reply
from governance.models import Deliberation, Mandate, Meeting, Participation
from governance.services.council import check_mandate
from governance.services.register import check_votes
from portal.concurrency import VersionedModelForm


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[c for c in Reply.choices if c[0] != Reply.PENDING],
        widget=forms.RadioSelect,
    )
    represented_by = forms.ModelChoiceField(
        label=_("Membre qui vous représente"),
        queryset=Mandate.objects.none(),
        required=False,
        help_text=_("Seulement si vous donnez pouvoir à un autre membre convoqué."),
    )

    def __init__(self, *args, participation: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation
        represented_by = self.fields["represented_by"]
        assert isinstance(represented_by, forms.ModelChoiceField)
        represented_by.queryset = (
            Mandate.objects.for_territory(participation.territory)
            .filter(participations__meeting_id=participation.meeting_id, is_voting=True)
            .exclude(pk=participation.mandate_id)
            .select_related("user", "organisation")
        )
        represented_by.label_from_instance = lambda mandate: mandate.display_name  # type: ignore[assignment]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reply") == Reply.REPRESENTED and not cleaned.get("represented_by"):
            self.add_error("represented_by", _("Indiquez le membre qui vous représente."))
        return cleaned


class MandateAdminForm(VersionedModelForm):
    class Meta:
        model = Mandate
        fields = [
            "territory",
            "body",
            "college",
            "user",
            "organisation",
            "person_name",
            "category",
            "position",
            "is_voting",
            "start_date",
            "end_date",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.instance.body_id and self.instance.territory_id and not self.errors:
            try:
                check_mandate(self.instance)
            except ValidationError as error:
                self._update_errors(error)


class MeetingAdminForm(VersionedModelForm):
    video_url = forms.URLField(
        label=Meeting._meta.get_field("video_url").verbose_name, required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "territory",
            "body",
            "working_group",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "status",
            "minutes",
            "minutes_public",
        ]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("La réunion doit se terminer après son début."))
        return cleaned


class DeliberationAdminForm(VersionedModelForm):
    class Meta:
        model = Deliberation
        fields = [
            "territory",
            "body",
            "meeting",
            "kind",
            "title",
            "text",
            "decided_on",
            "votes_for",
            "votes_against",
            "abstentions",
            "outcome",
        ]

    def clean(self):
        cleaned = super().clean()
        body, decided_on = cleaned.get("body"), cleaned.get("decided_on")
        meeting = cleaned.get("meeting")
        if meeting is not None and body is not None and meeting.body_id != body.pk:
            self.add_error("meeting", _("Cette séance est celle d'une autre instance."))
        elif body is not None and decided_on is not None:
            try:
                check_votes(
                    meeting=meeting,
                    body=body,
                    decided_on=decided_on,
                    votes_for=cleaned.get("votes_for"),
                    votes_against=cleaned.get("votes_against"),
                    abstentions=cleaned.get("abstentions"),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
