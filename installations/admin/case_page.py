"""The coordinator's case page (CaseAdmin's change view): a page of its own rather than Django's change
form with eight inline formsets (issue 13): the applicant and the project at a glance, the workflow
actions by the status, one card per need (state, owner, due date, referral and the partner's answer),
the conversation with the applicant, internal notes, documents, aids and opportunities, follow-ups and
the timeline. Each card is a small form posting to `case_action_view`, which calls one service and
redirects back to the card; a refused form is shown again in its card with what was typed.

The cards that edit something (a need, the aids and opportunities) carry the version they were read at
(portal/concurrency.py): a save over a newer version is refused, saying who changed what. The other
cards only add (a message, a note, a document), so they never clobber anything.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from installations.admin.case_forms import (
    AddNeedForm,
    AnswerForm,
    DocumentForm,
    FollowUpForm,
    LinksForm,
    MessageForm,
    NeedForm,
    NoteForm,
    ReferForm,
    ThreadForm,
    person_label,
)
from installations.admin.case_rows import messages_html, notes_html, thread_html, timeline_html
from installations.admin.common import is_team_for
from installations.admin.workflow import WORKFLOW_STEPS, available_steps
from installations.case_selectors import CasePageData, case_page_case, case_page_data
from installations.enums import FINAL_STATUSES, CaseStatus, NeedState, ReferralAnswer
from installations.models import Case, CaseDocument, Need
from installations.services.catalogue import case_set_links
from installations.services.exchanges import document_add, message_post, note_add
from installations.services.lifecycle import case_take_charge, follow_up_record
from installations.services.needs import need_add, need_refer, need_update, referral_answer, referral_message
from installations.services.personal_data import case_export_personal_data
from installations.services.versions import links_token, need_token
from portal.concurrency import StaleEdit, show_again
from portal.privacy.enums import AccessKind
from portal.privacy.services import access_record
from portal.tenancy.admin import admin_context_without_sidebar

# The actions the page's forms post to (`case_action_view`), each handled by `_action_<name>`.
CASE_ACTIONS = (
    "take_charge",
    "message",
    "note",
    "add_need",
    "need",
    "refer",
    "answer",
    "thread",
    "links",
    "document",
    "follow_up",
)


@dataclass
class CardPost:
    """A card's form as posted, and the service call it leads to."""

    anchor: str
    form: forms.Form
    call: Callable[[dict[str, Any]], str]


@dataclass
class NeedCard:
    need: Need
    form: NeedForm | None
    refer_form: ReferForm | None
    answer_form: AnswerForm | None
    thread_form: ThreadForm | None
    thread: list[Any]
    thread_html: str
    labels: dict[str, Any]  # the need's kind, state and partner's answer, as choice_labels gives them


@functools.cache
def _choice_labels(model: type[models.Model], name: str, language: str | None) -> dict[Any, str]:
    """A field's choices and their labels in a language, translated once per process."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete field with choices
    return {value: str(label) for value, label in field.flatchoices}


def choice_labels(instance: models.Model, *names: str) -> dict[str, Any]:
    """What `instance.get_<name>_display` gives for each of `names` (the value itself when it is not
    a choice), without translating every choice of the field at each call as it does."""
    language = get_language()
    return {
        name: _choice_labels(type(instance), name, language).get(getattr(instance, name), getattr(instance, name))
        for name in names
    }


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal, next to the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class CasePageMixin:
    """CaseAdmin's case page, its card actions, the personal data export and the documents' download."""

    # What it uses of the CaseAdmin it is part of (declared for the type checker only).
    get_queryset: Callable[..., Any]
    admin_site: Any
    model: type[Case]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The case page: what the team sees of a case and works on."""
        case = self._page_case(request, object_id)
        if not is_team_for(request, case.territory_id):
            # A partner referent reads what was referred to them on their own page.
            return HttpResponseRedirect(reverse("admin:installations_referrals"))
        # Staff reads of an applicant's data are logged: one INSERT, from what the page already read.
        access_record(
            user=request.user,
            territory_ids=[case.territory_id],
            kind=AccessKind.CASE_PAGE,
            object_ref=case.reference,
            object_id=case.pk,
            request=request,
        )
        return self.render_case_page(request, case)

    def _page_case(self, request, object_id) -> Case:
        case = case_page_case(self.get_queryset(request), object_id) if str(object_id).isdigit() else None
        if case is None:
            raise Http404(_("Cet élément n'existe pas."))
        return case

    def _team_case(self, request, object_id) -> Case:
        case = self._page_case(request, object_id)
        if not is_team_for(request, case.territory_id):
            raise Http404(_("Cet élément n'existe pas."))
        return case

    # --- the page ----------------------------------------------------------------------------------
    def render_case_page(self, request, case, *, data=None, bound=None, status=200):
        data = data or case_page_data(case)
        bound = bound or {}
        writable = case.erased_at is None
        open_case = writable and case.status not in FINAL_STATUSES
        need_cards = [self._need_card(need, data, bound, writable) for need in data.needs]
        # One reversal for the eleven actions: their URLs differ by the action's name only.
        action_url = reverse("admin:installations_case_action", args=[case.pk, "ACTION"]).replace
        steps = [
            (step, WORKFLOW_STEPS[step], reverse("admin:installations_case_workflow", args=[case.pk, step]))
            for step in available_steps(case)
            if step != "take_charge"
        ]
        context = {
            **admin_context_without_sidebar(self.admin_site, request),
            "opts": self.model._meta,
            "title": _("Demande %(reference)s") % {"reference": case.reference},
            "case": case,
            "labels": choice_labels(
                case, "status", "profession", "current_situation", "practice_mode", "structure_type"
            ),
            "data": data,
            "writable": writable,
            "can_take_charge": "take_charge" in available_steps(case),
            "steps": steps,
            "action": {name: action_url("ACTION", name) for name in CASE_ACTIONS},
            "need_cards": need_cards,
            # The repeated rows, written in Python (case_rows.py).
            "messages_html": messages_html(data.messages),
            "notes_html": notes_html(data.notes),
            "timeline_html": timeline_html(data.events),
            "open_needs": sum(1 for need in data.needs if need.state not in (NeedState.DONE, NeedState.DROPPED)),
            "add_need_form": bound.get("add-need")
            or (AddNeedForm(existing={n.kind for n in data.needs}) if writable else None),
            "message_form": bound.get("message")
            or (MessageForm() if writable and case.status not in (*FINAL_STATUSES, CaseStatus.UNCONFIRMED) else None),
            "note_form": bound.get("note") or (NoteForm() if writable else None),
            "document_form": bound.get("document") or (DocumentForm() if writable else None),
            "links_form": bound.get("links") or (self._links_form(data) if writable else None),
            "eligibility": [
                (result, {True: _("éligible"), False: _("non éligible"), None: _("à vérifier")}[result.eligible])
                for result in data.eligibility
            ],
            "follow_ups": [
                (
                    follow_up,
                    bound.get(f"followup-{follow_up.pk}")
                    or (FollowUpForm(follow_up=follow_up) if writable and follow_up.done_at is None else None),
                )
                for follow_up in data.follow_ups
            ],
            "open_case": open_case,
            "personal_data_url": ""
            if case.erased_at
            else reverse("admin:installations_case_personal_data", args=[case.pk]),
            "changelist_url": reverse("admin:installations_case_changelist"),
            "has_errors": bool(bound),
            "workflow_errors": bound["workflow"].non_field_errors() if "workflow" in bound else [],
        }
        return TemplateResponse(request, "admin/installations/case/page.html", context, status=status)

    @staticmethod
    def _links_form(data: CasePageData, *args) -> LinksForm:
        return LinksForm(
            *args,
            aids=data.aids,
            opportunities=data.opportunities,
            initial={
                "aids": data.linked_aid_ids,
                "opportunities": data.linked_opportunity_ids,
                "version": links_token(data.linked_aid_ids, data.linked_opportunity_ids),
            },
        )

    @staticmethod
    def _need_card(need: Need, data: CasePageData, bound: dict, writable: bool) -> NeedCard:
        referable = writable and need.state not in (NeedState.DONE, NeedState.DROPPED)
        referred = writable and need.referent_id is not None
        return NeedCard(
            need=need,
            form=bound.get(f"need-{need.pk}")
            or (
                NeedForm(
                    need=need,
                    team=data.team,
                    initial={
                        "state": need.state,
                        "owner": need.owner_id,
                        "due_date": need.due_date,
                        "details": need.details,
                        "version": need_token(need),
                    },
                )
                if writable
                else None
            ),
            refer_form=bound.get(f"refer-{need.pk}")
            or (ReferForm(need=need, referents=data.referents) if referable else None),
            answer_form=bound.get(f"answer-{need.pk}")
            or (
                AnswerForm(prefix=f"answer-{need.pk}")
                if referred and need.state == NeedState.REFERRED and not need.referral_answer
                else None
            ),
            thread_form=bound.get(f"thread-{need.pk}")
            or (
                ThreadForm(
                    prefix=f"thread-{need.pk}",
                    label=_("Message à %(name)s (référent partenaire)") % {"name": person_label(need.referent)},
                )
                if referred
                else None
            ),
            thread=data.threads.get(need.pk, []),
            thread_html=thread_html(data.threads.get(need.pk, []), need.referent_id),
            labels=choice_labels(need, "kind", "state", "referral_answer"),
        )

    # --- the cards' actions -----------------------------------------------------------------------
    def case_action_view(self, request, object_id, action):
        """One card's form: validated, handed to its service, then back to the card (or the page
        again with the card's form and its errors)."""
        case = self._team_case(request, object_id)
        if action not in CASE_ACTIONS:
            raise Http404
        page_url = reverse("admin:installations_case_change", args=[case.pk])
        if request.method != "POST":
            return HttpResponseRedirect(page_url)
        data = case_page_data(case)
        post = getattr(self, f"_action_{action}")(request, case, data)
        if post.form.is_valid():
            try:
                done = post.call(post.form.cleaned_data)
            except StaleEdit as error:
                post.form.add_error(None, error)
                show_again(post.form, error)
            except ValidationError as error:
                add_service_errors(post.form, error)
            except PermissionDenied as error:
                post.form.add_error(None, str(error))
            else:
                messages.success(request, done)
                return HttpResponseRedirect(f"{page_url}#{post.anchor}")
        return self.render_case_page(request, case, data=data, bound={post.anchor: post.form}, status=400)

    def _need_of(self, request, data: CasePageData) -> Need:
        need_id = request.POST.get("need", "")
        for need in data.needs:
            if str(need.pk) == need_id:
                return need
        raise Http404(_("Ce besoin n'existe pas."))

    def _action_take_charge(self, request, case, data):
        def call(cleaned):
            case_take_charge(actor=request.user, case=case)
            return _("Demande prise en charge : elle est à présent suivie par %(name)s.") % {
                "name": person_label(case.assigned_to) if case.assigned_to else "—"
            }

        return CardPost("workflow", forms.Form(request.POST), call)

    def _action_message(self, request, case, data):
        def call(cleaned):
            message_post(actor=request.user, case=case, body=cleaned["body"])
            return _("Message envoyé au demandeur.")

        return CardPost("message", MessageForm(request.POST), call)

    def _action_note(self, request, case, data):
        def call(cleaned):
            note_add(actor=request.user, case=case, body=cleaned["body"])
            return _("Note interne ajoutée.")

        return CardPost("note", NoteForm(request.POST), call)

    def _action_add_need(self, request, case, data):
        def call(cleaned):
            need = need_add(actor=request.user, case=case, kind=cleaned["kind"], details=cleaned["details"])
            return _("Besoin « %(kind)s » ajouté.") % {"kind": need.get_kind_display()}

        return CardPost("add-need", AddNeedForm(request.POST, existing={n.kind for n in data.needs}), call)

    def _action_need(self, request, case, data):
        need = self._need_of(request, data)
        owners = {user.pk: user for user in [*data.team, *([need.owner] if need.owner else [])]}

        def call(cleaned):
            need_update(
                actor=request.user,
                need=need,
                state=cleaned["state"],
                owner=owners.get(cleaned["owner"]) if cleaned["owner"] else None,
                due_date=cleaned["due_date"],
                details=cleaned["details"],
                version=cleaned["version"],
            )
            return _("Besoin « %(kind)s » enregistré.") % {"kind": need.get_kind_display()}

        return CardPost(f"need-{need.pk}", NeedForm(request.POST, need=need, team=data.team), call)

    def _action_refer(self, request, case, data):
        need = self._need_of(request, data)

        def call(cleaned):
            membership = cleaned["referent"]
            need_refer(
                actor=request.user,
                need=need,
                organisation=membership.organisation,
                referent=membership.user,
                message=cleaned["message"],
                contact_consent=cleaned["contact_consent"],
            )
            return _("Besoin « %(kind)s » orienté vers %(name)s (%(organisation)s), prévenu par e-mail.") % {
                "kind": need.get_kind_display(),
                "name": person_label(membership.user),
                "organisation": membership.organisation.name,
            }

        form = ReferForm(request.POST, need=need, referents=data.referents)
        return CardPost(f"refer-{need.pk}", form, call)

    def _action_answer(self, request, case, data):
        need = self._need_of(request, data)

        def call(cleaned):
            accepted = cleaned["answer"] == ReferralAnswer.ACCEPTED
            referral_answer(actor=request.user, need=need, accepted=accepted, reason=cleaned["reason"])
            return _("Réponse du partenaire enregistrée : %(answer)s.") % {"answer": need.get_referral_answer_display()}

        return CardPost(f"answer-{need.pk}", AnswerForm(request.POST, prefix=f"answer-{need.pk}"), call)

    def _action_thread(self, request, case, data):
        need = self._need_of(request, data)

        def call(cleaned):
            referral_message(actor=request.user, need=need, body=cleaned["body"])
            return _("Message envoyé à %(name)s.") % {"name": person_label(need.referent)}

        if need.referent is None:
            raise Http404(_("Ce besoin n'est orienté vers aucun partenaire."))
        label = _("Message à %(name)s (référent partenaire)") % {"name": person_label(need.referent)}
        return CardPost(f"thread-{need.pk}", ThreadForm(request.POST, prefix=f"thread-{need.pk}", label=label), call)

    def _action_links(self, request, case, data):
        form = self._links_form(data, request.POST)

        def call(cleaned):
            case_set_links(
                actor=request.user,
                case=case,
                aids=[form.aids[pk] for pk in cleaned["aids"]],
                opportunities=[form.opportunities[pk] for pk in cleaned["opportunities"]],
                version=cleaned["version"],
            )
            return _("Aides et opportunités enregistrées.")

        return CardPost("links", form, call)

    def _action_document(self, request, case, data):
        def call(cleaned):
            document = document_add(actor=request.user, case=case, uploaded_file=cleaned["file"])
            return _("Document « %(name)s » ajouté.") % {"name": document.original_name}

        return CardPost("document", DocumentForm(request.POST, request.FILES), call)

    def _action_follow_up(self, request, case, data):
        follow_up_id = request.POST.get("follow_up", "")
        follow_up = next((f for f in data.follow_ups if str(f.pk) == follow_up_id), None)
        if follow_up is None:
            raise Http404(_("Ce suivi n'existe pas."))

        def call(cleaned):
            follow_up_record(
                actor=request.user,
                follow_up=follow_up,
                still_practising=cleaned["still_practising"],
                comment=cleaned["comment"],
            )
            return _("Suivi à %(years)s an(s) enregistré.") % {"years": follow_up.years}

        return CardPost(f"followup-{follow_up.pk}", FollowUpForm(request.POST, follow_up=follow_up), call)

    # --- the applicant's data and the documents -----------------------------------------------------
    def personal_data_view(self, request, object_id):
        """The applicant's data as JSON, for a request made to the team (right of access)."""
        case = self._team_case(request, object_id)
        data = case_export_personal_data(actor=request.user, case=case)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="donnees-{case.reference}.json"'
        return response

    def document_view(self, request, object_id, document_pk):
        case = self._team_case(request, object_id)
        document = get_object_or_404(
            CaseDocument.objects.filter(case=case, territory_id=case.territory_id), pk=document_pk
        )
        access_record(
            user=request.user,
            territory_ids=[case.territory_id],
            kind=AccessKind.DOCUMENT,
            object_ref=f"{case.reference} — {document.original_name}",
            object_id=document.pk,
            request=request,
        )
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
