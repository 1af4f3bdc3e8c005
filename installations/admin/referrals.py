"""The partner referent's own pages (issue 13): what was referred to them, with due dates; for each
need, the request's minimal information, the applicant's contact only when the applicant agreed to it
at referral time, their answer (accept, or decline with a reason), the state of the need once they work
on it, and a thread with the coordinator. Every write goes through installations.services.needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from installations.admin.case_forms import AnswerForm, ThreadForm, VersionField, person_label
from installations.admin.case_page import add_service_errors
from installations.admin.case_rows import referral_rows_html
from installations.admin.common import partner_ids
from installations.case_selectors import referral_detail, referrals_of
from installations.enums import NeedState, ReferralAnswer
from installations.services.needs import need_update, referral_answer, referral_message
from installations.services.versions import need_token
from portal.concurrency import StaleEdit, show_again
from portal.privacy.enums import AccessKind
from portal.privacy.services import access_record
from portal.tenancy.admin import admin_context_without_sidebar


class PartnerStateForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("Où en est ce besoin ?"),
        choices=[(s.value, s.label) for s in (NeedState.REFERRED, NeedState.DONE, NeedState.DROPPED)],
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="state", **kwargs)


class ReferralsMixin:
    """NeedAdmin's pages for a partner referent."""

    admin_site: Any
    model: Any
    get_urls: Callable[..., Any]

    def _partner_territories(self, request) -> set[int]:
        territories = partner_ids(request)
        if not territories:
            raise PermissionDenied(_("Cette page est celle des référents partenaires."))
        return territories

    def _context(self, request, title):
        return {
            **admin_context_without_sidebar(self.admin_site, request),
            "opts": self.model._meta,
            "title": title,
            "referrals_url": reverse("admin:installations_referrals"),
        }

    def referrals_view(self, request):
        """What was referred to this partner referent, those waiting for their answer first; in one
        territory when the sign-in's role home says which (`?territory=`)."""
        territories = self._partner_territories(request)
        wanted = request.GET.get("territory", "")
        if wanted.isdigit() and int(wanted) in territories:
            territories = {int(wanted)}
        needs = list(referrals_of(request.user, territories))
        # A partner's reads of what was referred to them are staff reads of personal data: logged
        # like the case page (one INSERT per territory listed).
        access_record(
            user=request.user,
            territory_ids=territories,
            kind=AccessKind.REFERRAL,
            object_ref=_("besoins orientés"),
            request=request,
        )
        today = timezone.localdate()
        groups = {
            "waiting": [n for n in needs if n.state == NeedState.REFERRED and not n.referral_answer],
            "in_progress": [n for n in needs if n.state == NeedState.REFERRED and n.referral_answer],
            "finished": [n for n in needs if n.state != NeedState.REFERRED],
        }
        context = {
            **self._context(request, _("Besoins qui vous sont orientés")),
            **groups,
            # Each group's items written in Python (case_rows.py).
            **{f"{name}_html": referral_rows_html(group, today) for name, group in groups.items()},
            "today": today,
        }
        return TemplateResponse(request, "admin/installations/need/referrals.html", context)

    def referral_view(self, request, pk):
        """One need referred to them: read it, answer it, tell where it stands, write to the coordinator."""
        need = referral_detail(request.user, self._partner_territories(request), pk)
        if need is None:
            raise Http404(_("Ce besoin ne vous est pas orienté."))
        answerable = need.state == NeedState.REFERRED and not need.referral_answer
        forms_ = {
            "answer": AnswerForm(prefix="answer") if answerable else None,
            "state": PartnerStateForm(initial={"state": need.state, "version": need_token(need)})
            if need.referral_answer == ReferralAnswer.ACCEPTED
            else None,
            "thread": ThreadForm(
                prefix="thread",
                label=_("Message à %(name)s (coordination)")
                % {"name": person_label(need.case.assigned_to) if need.case.assigned_to else _("l'équipe")},
            ),
        }
        if request.method == "POST":
            action = request.POST.get("action")
            if action not in forms_ or forms_[action] is None:
                raise Http404
            done = self._referral_post(request, need, action, forms_)
            if done:
                return HttpResponseRedirect(reverse("admin:installations_referral", args=[need.pk]) + f"#{action}")
        context = {
            **self._context(
                request,
                _("%(kind)s — demande %(reference)s")
                % {
                    "kind": need.get_kind_display(),
                    "reference": need.case.reference,
                },
            ),
            "need": need,
            "case": need.case,
            "thread": list(need.notes.all()),
            "forms": forms_,
            "today": timezone.localdate(),
        }
        status = 400 if any(form is not None and form.is_bound for form in forms_.values()) else 200
        access_record(
            user=request.user,
            territory_ids=[need.territory_id],
            kind=AccessKind.REFERRAL,
            object_ref=f"{need.case.reference} — {need.get_kind_display()}",
            object_id=need.pk,
            request=request,
        )
        return TemplateResponse(request, "admin/installations/need/referral.html", context, status=status)

    def _referral_post(self, request, need, action, forms_) -> bool:
        form_class = type(forms_[action])
        if action == "thread":
            form = ThreadForm(request.POST, prefix="thread")
            form.fields["body"].label = forms_["thread"].fields["body"].label
        elif action == "answer":
            form = form_class(request.POST, prefix="answer")
        else:
            form = form_class(request.POST)
        forms_[action] = form
        if not form.is_valid():
            return False
        data = form.cleaned_data
        try:
            if action == "answer":
                accepted = data["answer"] == ReferralAnswer.ACCEPTED
                referral_answer(actor=request.user, need=need, accepted=accepted, reason=data["reason"])
                text = _("Votre réponse est transmise à la coordination : %(answer)s.") % {
                    "answer": need.get_referral_answer_display().lower()
                }
            elif action == "state":
                need_update(actor=request.user, need=need, state=data["state"], version=data["version"])
                text = _("État du besoin enregistré : %(state)s.") % {"state": need.get_state_display()}
            else:
                referral_message(actor=request.user, need=need, body=data["body"])
                text = _("Message envoyé à la coordination.")
        except StaleEdit as error:
            form.add_error(None, error)
            show_again(form, error)
            return False
        except ValidationError as error:
            add_service_errors(form, error)
            return False
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return False
        messages.success(request, text)
        return True
