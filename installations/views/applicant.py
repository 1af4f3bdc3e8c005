"""The applicant's own cases, under `/<territory_slug>/installation/mes-demandes/`.

Another applicant's case, or another territory's, answers 404.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from installations import applicant_selectors, selectors
from installations.applicant_html import eligibility_html
from installations.enums import FINAL_STATUSES, CaseStatus
from installations.forms import (
    DocumentForm,
    EraseForm,
    MessageForm,
    WithdrawForm,
)
from installations.models import CaseDocument
from installations.services import exchanges, lifecycle
from installations.services.applicant_mail import CONVERSATION_MAX_AGE, case_from_conversation_token
from installations.services.personal_data import (
    case_erase_personal_data,
    case_export_personal_data,
    case_read_personal_data,
)
from installations.services.personal_data import (
    household_consent_withdraw as consent_withdraw,
)
from installations.services.submission import cases_claim
from portal import french
from portal.documents.rendering import render_pdf

# --- the applicant's space ----------------------------------------------------------------------


def case_url(case):
    return reverse("installations:case_detail", kwargs={"territory_slug": case.territory.slug, "pk": case.pk})


def _own_case(request, pk):
    """The signed-in applicant's case of this territory; anything else is 404."""
    return get_object_or_404(selectors.applicant_case_queryset(request.user, request.territory), pk=pk)


@login_required
def case_list(request, territory_slug):
    territory = request.territory
    # Anonymous requests confirmed with one of the person's verified addresses join their space.
    cases_claim(actor=request.user)
    cases = applicant_selectors.territory_cases(request.user, territory)
    if not cases:
        # Nothing of theirs here: the territory's entry page says how to ask (and how a request
        # made without an account joins the space).
        messages.info(
            request,
            _(
                "Vous n'avez pas de demande sur ce territoire avec ce compte. Une demande faite sans compte "
                "apparaît dans votre espace une fois l'adresse e-mail confirmée et vérifiée dans votre compte."
            ),
        )
        return redirect("installations:start", territory_slug=territory.slug)
    return render(request, "installations/case_list.html", {"territory": territory, "cases": cases})


@login_required
def case_detail(request, territory_slug, pk):
    case = applicant_selectors.applicant_case_for_page(request.user, request.territory, pk)
    return _render_case(request, case)


def _render_case(request, case, *, message_form=None, document_form=None, status=200):
    page = applicant_selectors.applicant_case_page(case)
    return render(
        request,
        "installations/case_detail.html",
        {
            "territory": request.territory,
            "case": case,
            "needs": page["needs"],
            "timeline": page["events"],
            "case_messages": page["messages"],  # `messages` is the flash messages' name
            "documents": page["documents"],
            "linked_aids": page["aids"],
            # installations/_eligibility.html's HTML, written in Python (applicant_html.py)
            "eligibility_html": eligibility_html(page["eligible_aids"], request.territory),
            "opportunities": page["opportunities"],
            "target_communes": page["target_communes"],
            "is_open": case.status not in FINAL_STATUSES,
            "can_write": case.status not in FINAL_STATUSES and case.status != CaseStatus.UNCONFIRMED,
            "message_form": message_form or MessageForm(prefix="message"),
            "document_form": document_form or DocumentForm(prefix="document"),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def conversation(request, territory_slug, token):
    """The conversation of a case whose applicant has no account, through the signed link of the
    news e-mail: read the messages, answer. Anything wrong with the link answers 404 with why."""
    try:
        case = case_from_conversation_token(token=token, territory_id=request.territory.pk)
    except ValidationError as error:
        return render(
            request,
            "installations/conversation_invalid.html",
            {"territory": request.territory, "error": " ".join(error.messages)},
            status=404,
        )
    can_write = case.status not in FINAL_STATUSES and case.status != CaseStatus.UNCONFIRMED
    form = MessageForm(prefix="message")
    status = 200
    if request.method == "POST" and can_write:
        form = MessageForm(request.POST, prefix="message")
        if form.is_valid():
            try:
                exchanges.message_post_from_link(case=case, body=form.cleaned_data["body"])
            except ValidationError as error:
                _add_errors(form, error, "body")
            else:
                messages.success(request, _("Votre message est envoyé au guichet unique."))
                return redirect(request.path + "#messages")
        status = 400
    return render(
        request,
        "installations/conversation.html",
        {
            "territory": request.territory,
            "case": case,
            "case_messages": list(case.messages.select_related("author")),
            "form": form,
            "can_write": can_write,
            "max_age_days": CONVERSATION_MAX_AGE.days,
        },
        status=status,
    )


@login_required
@require_POST
def message_add(request, territory_slug, pk):
    case = _own_case(request, pk)
    form = MessageForm(request.POST, prefix="message")
    if form.is_valid():
        try:
            exchanges.message_post(actor=request.user, case=case, body=form.cleaned_data["body"])
        except ValidationError as error:
            _add_errors(form, error, "body")
        else:
            messages.success(request, _("Votre message est envoyé au guichet unique."))
            return redirect(case_url(case) + "#messages")
    return _render_case(request, case, message_form=form, status=400)


@login_required
@require_POST
def document_add(request, territory_slug, pk):
    case = _own_case(request, pk)
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            exchanges.document_add(actor=request.user, case=case, uploaded_file=form.cleaned_data["file"])
        except ValidationError as error:
            _add_errors(form, error, "file")
        else:
            messages.success(request, _("Votre document est ajouté à la demande."))
            return redirect(case_url(case) + "#documents")
    return _render_case(request, case, document_form=form, status=400)


def _add_errors(form, error, default_field):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field, error.messages)


@login_required
def document_download(request, territory_slug, pk, document_pk):
    case = _own_case(request, pk)
    document = get_object_or_404(CaseDocument.objects.for_territory(request.territory), pk=document_pk, case=case)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_withdraw(request, territory_slug, pk):
    case = _own_case(request, pk)
    if case.status in FINAL_STATUSES:
        messages.info(request, _("Cette demande est déjà terminée."))
        return redirect(case_url(case))
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            lifecycle.case_withdraw(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Votre demande est retirée. Merci de nous avoir tenus informés."))
        return redirect(case_url(case))
    return render(
        request, "installations/case_withdraw.html", {"territory": request.territory, "case": case, "form": form}
    )


@never_cache
@login_required
def case_summary_pdf(request, territory_slug, pk):
    return summary_pdf_response(_own_case(request, pk))


def summary_pdf_response(case):
    """The request's summary as a PDF (as Démarches Simplifiées gives one): every answer, the
    reference and the guichet's contact. A page or two, rendered at once."""
    rendered = render_pdf(
        template_name="installations/case_summary_pdf.html",
        context={
            "title": _("Récapitulatif de la demande %(reference)s") % {"reference": case.reference},
            "subtitle": _("Demande d'accompagnement à l'installation"),
            "territory": case.territory,
            "case": case,
            "communes": french.sorted_by_name(case.target_communes.all()),
            "needs": list(case.needs.all()),
        },
    )
    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="demande-{case.reference}.pdf"'
    return response


@never_cache
@login_required
def case_personal_data(request, territory_slug, pk):
    """What the portal holds about the applicant for this case, in plain French; the JSON stays."""
    case = _own_case(request, pk)
    data = case_read_personal_data(actor=request.user, case=case)
    return render(
        request, "installations/personal_data.html", {"territory": request.territory, "case": case, "data": data}
    )


@never_cache
@login_required
def case_export(request, territory_slug, pk):
    case = _own_case(request, pk)
    data = case_export_personal_data(actor=request.user, case=case)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{case.reference}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_erase(request, territory_slug, pk):
    case = _own_case(request, pk)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        case_erase_personal_data(actor=request.user, case=case)
        messages.success(
            request,
            _("Vos données personnelles de la demande %(reference)s sont effacées.") % {"reference": case.reference},
        )
        return redirect("installations:start", territory_slug=territory_slug)
    return render(
        request,
        "installations/case_erase.html",
        {"territory": request.territory, "case": case, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def household_consent_withdraw(request, territory_slug, pk):
    """The applicant withdraws the consent given for their household details (from the case page or
    their space): the details are erased at once."""
    case = _own_case(request, pk)
    try:
        consent_withdraw(actor=request.user, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Votre consentement est retiré : les informations de votre foyer sont effacées."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect(case_url(case) + "#data-title")
