"""The guided request of the guichet unique, under `/<territory_slug>/installation/demande/`.

One form per step; what was typed is kept in the session per territory (on an error, a refresh,
going back); the case is written once at the end by `case_submit` with the draft's idempotency key.
The e-mail confirmation link of an anonymous request (`confirm`) shows a page whose button confirms.
"""

import logging
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from installations.enums import CurrentSituation, NeedKind, StructureType
from installations.forms import (
    ContactStepForm,
    HouseholdStepForm,
    NeedsStepForm,
    ProfileStepForm,
    ProjectStepForm,
    ResendConfirmationForm,
    household_needs,
)
from installations.models import Case
from installations.services.applicant_mail import (
    case_confirmation_resend,
    case_confirmation_token,
    case_send_confirmation,
)
from installations.services.submission import case_confirm_email, case_for_confirmation, case_submit
from installations.views.applicant import case_url, summary_pdf_response
from portal import french
from portal.enums import PracticeMode, Profession
from portal.models import ProfessionalProfile

# --- the guided request -------------------------------------------------------------------------

# (slug in the URL, form). The household step only exists when a household need is ticked.
STEPS = (
    ("vous", ProfileStepForm),
    ("projet", ProjectStepForm),
    ("besoins", NeedsStepForm),
    ("foyer", HouseholdStepForm),
    ("coordonnees", ContactStepForm),
)
REVIEW = "verification"
FROM_REVIEW = "depuis-verification"  # query parameter of the review page's edit links
SUBMITTED_KEY = "installations_submitted"

logger = logging.getLogger(__name__)


def _draft_key(territory):
    return f"installations_draft:{territory.pk}"


def _draft(request):
    """The territory's draft: raw POST data per step (exactly what was typed) and the idempotency key."""
    key = _draft_key(request.territory)
    draft = request.session.get(key)
    if draft is None:
        draft = {"key": secrets.token_hex(16), "steps": {}}
        request.session[key] = draft
    return draft


def _save_draft(request, draft):
    request.session[_draft_key(request.territory)] = draft
    request.session.modified = True


# What one step may keep in the session, in characters: the longest step (six needs with 2,000
# characters of details each) fits well below; anything bigger is not a person typing.
DRAFT_STEP_MAX_CHARS = 20_000


def _raw(post, form):
    """What was typed in `form`'s own fields: the rest of the POST (anything an anonymous visitor
    chooses to send) never reaches the session, which is saved on every request."""
    names = {bound.html_name for bound in form}
    return {name: post.getlist(name) for name in post if name in names}


def _too_long(raw, form):
    """The name of the field to blame when the step's text exceeds what a draft may hold, else None."""
    sizes = {name: sum(len(value) for value in values) for name, values in raw.items()}
    if sum(sizes.values()) <= DRAFT_STEP_MAX_CHARS:
        return None
    longest = max(sizes, key=sizes.get)
    return next(bound.name for bound in form if bound.html_name == longest)


class _Wizard:
    """Binds every step of a draft to its form, in order, and knows which steps apply."""

    def __init__(self, request, draft):
        self.request = request
        self.draft = draft
        self.forms = {}

    def form(self, slug, data=None):
        form_class = dict(STEPS)[slug]
        kwargs = {"territory": self.request.territory}
        if slug == "foyer":
            kwargs["needs"] = self.household_needs()
        if slug == "coordonnees":
            kwargs["user"] = self.request.user
        raw = self.draft["steps"].get(slug)
        if data is None and raw is not None:
            data = MultiValueDict(raw)
        return form_class(data, initial=self.initial(slug), prefix=slug, **kwargs)

    def initial(self, slug):
        user = self.request.user
        if not user.is_authenticated:
            return {}
        if slug == "coordonnees":
            return {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone}
        if slug == "vous":
            profile = ProfessionalProfile.objects.filter(user=user).first()
            if profile is not None:
                return {"profession": profile.profession, "specialty": profile.specialty, "rpps": profile.rpps}
        return {}

    def valid(self, slug):
        """The step's form bound to the draft, if it was filled in and is valid; else None."""
        if slug not in self.forms:
            form = self.form(slug) if slug in self.draft["steps"] else None
            self.forms[slug] = form if form is not None and form.is_valid() else None
        return self.forms[slug]

    def household_needs(self):
        needs = self.valid("besoins")
        return household_needs(NeedsStepForm.selected_needs(needs.cleaned_data)) if needs else []

    def slugs(self):
        slugs = [slug for slug, _form in STEPS]
        if not self.household_needs():
            slugs.remove("foyer")
        return slugs

    def first_incomplete(self):
        for slug in self.slugs():
            if self.valid(slug) is None:
                return slug
        return None

    def reachable(self, slug):
        """A step can be shown once every step before it is complete."""
        slugs = self.slugs()
        if slug == REVIEW:
            return self.first_incomplete() is None
        if slug not in slugs:
            return False
        return all(self.valid(previous) is not None for previous in slugs[: slugs.index(slug)])

    def submission(self):
        """The keyword arguments of `case_submit` from the cleaned steps."""
        profile = self.valid("vous").cleaned_data
        project = self.valid("projet").cleaned_data
        needs = NeedsStepForm.selected_needs(self.valid("besoins").cleaned_data)
        contact = self.valid("coordonnees").cleaned_data
        household = self.valid("foyer").cleaned_data if "foyer" in self.slugs() else {}
        return {
            "email": contact.get("email") or "",
            "first_name": contact["first_name"],
            "last_name": contact["last_name"],
            "phone": contact["phone"],
            "profession": profile["profession"],
            "specialty": profile["specialty"],
            "current_situation": profile["current_situation"],
            "rpps": profile["rpps"],
            "target_communes": list(project["target_communes"]),
            "planned_date": project["planned_date"],
            "practice_mode": project["practice_mode"],
            "structure_type": project["structure_type"],
            "project_description": project["project_description"],
            "needs": {need["kind"]: need["details"] for need in needs},
            "household_consent": bool(household.get("household_consent")),
            "spouse_profession": household.get("spouse_profession", ""),
            "children_ages": household.get("children_ages", []),
        }


def start(request, territory_slug):
    """The entry point: what the guichet does, and where to begin."""
    draft = request.session.get(_draft_key(request.territory))
    return render(
        request,
        "installations/start.html",
        {"territory": request.territory, "has_draft": bool(draft and draft.get("steps"))},
    )


def _step_url(territory, slug):
    return reverse("installations:request_step", kwargs={"territory_slug": territory.slug, "step": slug})


@never_cache
@require_http_methods(["GET", "POST"])
def request_step(request, territory_slug, step):
    territory = request.territory
    if step == REVIEW:
        return _review(request)
    if step not in dict(STEPS):
        raise Http404
    draft = _draft(request)
    wizard = _Wizard(request, draft)
    if not wizard.reachable(step):
        return redirect(_step_url(territory, wizard.first_incomplete() or REVIEW))
    slugs = wizard.slugs()

    if request.method == "POST":
        form = wizard.form(step, data=request.POST)
        raw = _raw(request.POST, form)
        too_long = _too_long(raw, form)
        if too_long is not None:
            form.is_valid()
            form.add_error(too_long, _("Ce texte est trop long pour être enregistré : raccourcissez-le."))
            return _render_step(request, form, step, slugs)
        # Kept before validation: an error, a refresh or "previous" never loses what was typed.
        draft["steps"][step] = raw
        _save_draft(request, draft)
        if request.POST.get("action") == "previous" and slugs.index(step) > 0:
            return redirect(_step_url(territory, slugs[slugs.index(step) - 1]))
        if form.is_valid():
            wizard.forms.clear()
            slugs = wizard.slugs()  # ticking a household need adds a step
            following = slugs[slugs.index(step) + 1] if slugs.index(step) + 1 < len(slugs) else REVIEW
            if request.GET.get(FROM_REVIEW) and wizard.first_incomplete() is None:
                following = REVIEW  # an answer corrected from the review page: back there
            return redirect(_step_url(territory, following))
    else:
        form = wizard.form(step)
    return _render_step(request, form, step, slugs)


def _render_step(request, form, step, slugs):
    return render(
        request,
        "installations/request_step.html",
        {
            "territory": request.territory,
            "form": form,
            "step": step,
            "step_title": form.title,
            "step_number": slugs.index(step) + 1,
            "step_count": len(slugs) + 1,
            "previous_step": slugs[slugs.index(step) - 1] if slugs.index(step) > 0 else None,
            "is_household": step == "foyer",
            "is_needs": step == "besoins",
        },
    )


def _review(request):
    territory = request.territory
    draft = _draft(request)
    wizard = _Wizard(request, draft)
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")
        submitted = request.session.get(SUBMITTED_KEY, {})
        if key and key in submitted:
            # A second click, or the form sent again after the case was created: same case.
            return _after_submit(request, submitted[key])
        if key != draft["key"]:
            messages.error(request, _("Ce formulaire n'est plus à jour : vérifiez votre demande et envoyez-la."))
            return redirect(_step_url(territory, REVIEW))
    if not wizard.reachable(REVIEW):
        return redirect(_step_url(territory, wizard.first_incomplete()))
    submission = wizard.submission()

    if request.method == "POST":
        actor = request.user if request.user.is_authenticated else None
        try:
            # One transaction: an anonymous request never exists without its confirmation e-mail
            # in the outbox (sent after the commit, or by the outbox's sweep).
            with transaction.atomic():
                case = case_submit(territory=territory, actor=actor, idempotency_key=draft["key"], **submission)
                if actor is None:
                    _send_confirmation(request, case)
        except ValidationError as error:
            # The steps validate the same rules: this only happens when the territory changed
            # (a commune removed) between the step and the submission.
            for message in error.messages:
                messages.error(request, message)
            return redirect(_step_url(territory, "vous"))
        request.session.pop(_draft_key(territory), None)
        request.session[SUBMITTED_KEY] = {**submitted, draft["key"]: case.pk}
        request.session[_last_case_key(territory)] = case.pk
        return _after_submit(request, case.pk)

    slugs = wizard.slugs()
    return render(
        request,
        "installations/request_review.html",
        {
            "territory": territory,
            "submission": submission,
            "need_labels": _need_labels(submission["needs"]),
            "labels": _answer_labels(submission),
            "from_review": f"?{FROM_REVIEW}=1",
            "idempotency_key": draft["key"],
            "step_number": len(slugs) + 1,
            "step_count": len(slugs) + 1,
            "steps": slugs,
        },
    )


def _need_labels(needs):
    return [(NeedKind(kind).label, details) for kind, details in needs.items()]


def _answer_labels(submission):
    """What the person chose, in the words of the choices they were shown."""
    return {
        "profession": Profession(submission["profession"]).label,
        "current_situation": CurrentSituation(submission["current_situation"]).label,
        "practice_mode": PracticeMode(submission["practice_mode"]).label if submission["practice_mode"] else "",
        "structure_type": StructureType(submission["structure_type"]).label if submission["structure_type"] else "",
        "target_communes": french.sorted_by_name(submission["target_communes"]),
    }


def _after_submit(request, case_pk):
    territory = request.territory
    if request.user.is_authenticated:
        case = Case.objects.for_territory(territory).filter(pk=case_pk, applicant=request.user).first()
        if case is not None:
            messages.success(
                request, _("Votre demande %(reference)s est envoyée au guichet unique.") % {"reference": case.reference}
            )
            return redirect(case_url(case))
    return redirect("installations:submitted", territory_slug=territory.slug)


def _confirmation_link(request, case):
    return request.build_absolute_uri(
        reverse(
            "installations:confirm",
            kwargs={"territory_slug": case.territory.slug, "token": case_confirmation_token(case)},
        )
    )


def _send_confirmation(request, case):
    """The confirmation e-mail goes in the outbox; it leaves after the commit, the request never waiting for it."""
    case_send_confirmation(case=case, link=_confirmation_link(request, case))


def _last_case_key(territory):
    return f"installations_last_case:{territory.pk}"


def _submitted_case(request):
    """The anonymous request this browser just sent (the session remembers it), if still unconfirmed."""
    pk = request.session.get(_last_case_key(request.territory))
    if pk is None:
        return None
    return Case.objects.for_territory(request.territory).filter(pk=pk, erased_at__isnull=True).first()


@never_cache
def submitted_pdf(request, territory_slug):
    """The summary of the request this browser just sent (no account needed: the session proves it)."""
    case = _submitted_case(request)
    if case is None:
        raise Http404
    return summary_pdf_response(case)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submitted(request, territory_slug):
    """ "Envoyée": the reference, the address the confirmation went to, and a way to send it again
    or to correct the address (only for the browser that sent the request)."""
    territory = request.territory
    case = _submitted_case(request)
    form = ResendConfirmationForm(initial={"email": case.applicant_email} if case else None)
    if request.method == "POST" and case is not None:
        form = ResendConfirmationForm(request.POST)
        if form.is_valid():
            try:
                case = case_confirmation_resend(
                    case=case,
                    email=form.cleaned_data["email"],
                    link_for=lambda c: _confirmation_link(request, c),
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(
                    request,
                    _("L'e-mail de confirmation est renvoyé à %(email)s.") % {"email": case.applicant_email},
                )
                return redirect("installations:submitted", territory_slug=territory.slug)
    return render(
        request,
        "installations/submitted.html",
        {"territory": territory, "case": case, "form": form},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, territory_slug, token):
    """The link of the confirmation e-mail shows a button; the button (POST) confirms. Mail clients'
    link scanners open links: a GET must not confirm a request made with someone else's address.
    Signed in with the same e-mail: the case joins the account."""
    territory = request.territory
    actor = request.user if request.user.is_authenticated else None
    try:
        if request.method == "POST":
            case = case_confirm_email(token=token, actor=actor)
        else:
            case = case_for_confirmation(token=token)
    except ValidationError as error:
        return render(
            request,
            "installations/confirm_invalid.html",
            {"territory": territory, "error": " ".join(error.messages)},
            status=404,
        )
    if case.territory_id != territory.pk:
        raise Http404
    if request.method != "POST":
        return render(request, "installations/confirm.html", {"territory": territory, "case": case})
    if actor is not None and case.applicant_id == actor.pk:
        messages.success(request, _("Votre adresse est confirmée : votre demande est dans votre espace."))
        return redirect(case_url(case))
    cases_url = reverse("installations:case_list", kwargs={"territory_slug": territory.slug})
    return render(
        request,
        "installations/confirmed.html",
        {
            "territory": territory,
            "case": case,
            "signed_in_elsewhere": actor is not None,
            "login_url": reverse("account_login") + "?" + urlencode({"next": cases_url}),
            "signup_url": reverse("account_signup") + "?" + urlencode({"next": cases_url}),
        },
    )
