"""The case's workflow steps in the admin (take charge, assign, wait, settle, close, withdraw,
erase): which are offered for a case, the form each asks for, the page that runs it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from installations.enums import CaseStatus
from installations.models import Case
from installations.services.lifecycle import (
    case_assign,
    case_close,
    case_settle,
    case_take_charge,
    case_wait_for_applicant,
    case_withdraw,
)
from installations.services.personal_data import case_erase_personal_data
from installations.services.transitions import ALLOWED_TRANSITIONS
from portal.enums import EDITOR_ROLES
from portal.models import User


class WorkflowForm(forms.Form):
    """The fields a workflow step asks for (built per step in CaseAdmin.workflow_view)."""

    def __init__(self, *args, step, case, **kwargs):
        super().__init__(*args, **kwargs)
        if step == "assign":
            self.fields["coordinator"] = forms.ModelChoiceField(
                label=_("Confier à"),
                queryset=User.objects.filter(
                    memberships__territory_id=case.territory_id, memberships__role__in=EDITOR_ROLES, is_active=True
                ).distinct(),
            )
        if step == "wait":
            self.fields["message"] = forms.CharField(
                label=_("Message au demandeur (facultatif)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
            )
        if step == "settle":
            self.fields["settlement_date"] = forms.DateField(
                label=_("Date d'installation"), widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields["settlement_commune"] = forms.ModelChoiceField(
                label=_("Commune d'installation"), queryset=case.territory.communes.order_by("name")
            )
        if step in ("close", "withdraw"):
            self.fields["reason"] = forms.CharField(
                label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), required=step == "close"
            )
        if step == "erase":
            self.fields["confirm"] = forms.BooleanField(
                label=_("Je confirme l'effacement définitif des données personnelles de cette demande.")
            )


WORKFLOW_STEPS = {
    "take_charge": _("Prendre en charge"),
    "assign": _("Confier à un coordinateur"),
    "wait": _("Mettre en attente du demandeur"),
    "settle": _("Enregistrer l'installation"),
    "close": _("Clore sans suite"),
    "withdraw": _("Enregistrer le retrait du demandeur"),
    "erase": _("Effacer les données personnelles"),
}


def available_steps(case: Case) -> list[str]:
    if case.erased_at:
        return []
    allowed = ALLOWED_TRANSITIONS[case.status]
    steps = []
    if CaseStatus.SUPPORTED in allowed:
        steps.append("take_charge")
    steps.append("assign")
    if CaseStatus.WAITING_APPLICANT in allowed:
        steps.append("wait")
    if CaseStatus.SETTLED in allowed:
        steps.append("settle")
    if CaseStatus.CLOSED in allowed:
        steps.append("close")
    if CaseStatus.WITHDRAWN in allowed:
        steps.append("withdraw")
    steps.append("erase")
    return steps


class CaseWorkflowMixin:
    """CaseAdmin's workflow page: one form per step, each calling its service."""

    def workflow_view(self, request, object_id, step):
        if step not in WORKFLOW_STEPS:
            raise Http404
        case = self._team_case(request, object_id)
        form = WorkflowForm(request.POST if request.method == "POST" else None, step=step, case=case)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            calls = {
                "take_charge": lambda: case_take_charge(actor=request.user, case=case),
                "assign": lambda: case_assign(actor=request.user, case=case, coordinator=data["coordinator"]),
                "wait": lambda: case_wait_for_applicant(actor=request.user, case=case, message=data.get("message", "")),
                "settle": lambda: case_settle(
                    actor=request.user,
                    case=case,
                    settlement_date=data["settlement_date"],
                    commune=data["settlement_commune"],
                ),
                "close": lambda: case_close(actor=request.user, case=case, reason=data.get("reason", "")),
                "withdraw": lambda: case_withdraw(actor=request.user, case=case, reason=data.get("reason", "")),
                "erase": lambda: case_erase_personal_data(actor=request.user, case=case),
            }
            try:
                calls[step]()
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _("%(step)s : fait pour la demande %(reference)s.")
                    % {"step": WORKFLOW_STEPS[step], "reference": case.reference},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:installations_case_change", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{WORKFLOW_STEPS[step]} — {case.reference}",
            "case": case,
            "form": form,
            "step": step,
        }
        return TemplateResponse(
            request, "admin/installations/case/workflow.html", context, status=400 if form.errors else 200
        )
