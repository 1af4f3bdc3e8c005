"""Scholarships: the territory's open programmes and the application form (`/<territoire>/formation/
bourses/`), and a student's own applications in their space (`/espace/bourses/`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from training import selectors_programmes as selectors
from training.forms_programmes import ApplicationForm, add_service_errors
from training.services import scholarships


@require_GET
def programme_list(request, territory_slug):
    return render(
        request,
        "training/programme_list.html",
        {"territory": request.territory, "programmes": list(selectors.open_programmes(territory=request.territory))},
    )


@require_http_methods(["GET", "POST"])
def programme_detail(request, territory_slug, pk):
    programme = get_object_or_404(selectors.open_programmes(territory=request.territory), pk=pk)
    form = None
    if request.user.is_authenticated:
        form = ApplicationForm(request.POST or None, request.FILES or None, programme=programme)
    elif request.method == "POST":
        return redirect_to_login(request.get_full_path())
    if request.method == "POST" and form is not None:
        if form.is_valid():
            try:
                application = scholarships.application_submit(
                    actor=request.user,
                    programme=programme,
                    fields=form.application_fields(),
                    documents=form.documents(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Votre candidature est déposée. Nous vous préviendrons de la décision."))
                return redirect("training_space:application", pk=application.pk)
        messages.error(
            request,
            _("La candidature n'a pas été déposée : corrigez les champs signalés et joignez à nouveau vos fichiers."),
        )
    return render(
        request,
        "training/programme_detail.html",
        {"territory": request.territory, "programme": programme, "form": form},
    )


@login_required
@require_GET
def my_applications(request):
    return render(
        request, "training/my_applications.html", {"applications": list(selectors.applications_of(user=request.user))}
    )


@login_required
@require_GET
def my_application(request, pk):
    application = selectors.application_of(user=request.user, pk=pk)
    if application is None:
        raise Http404(_("Cette candidature n'existe pas."))
    # No commitment row before a study grant is granted (the reverse one-to-one raises then).
    commitment = getattr(application, "commitment", None)
    return render(request, "training/my_application.html", {"application": application, "commitment": commitment})
