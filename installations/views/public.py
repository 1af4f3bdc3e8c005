"""Public pages of the installation axis: the aids catalogue with its eligibility question, and the
published opportunities."""

from django.shortcuts import get_object_or_404, render

from installations import eligibility, selectors
from installations.filters import OpportunityFilter
from installations.forms import (
    EligibilityForm,
)
from installations.models import Aid
from portal.public_cache import public_page

# --- public pages: aids and opportunities -------------------------------------------------------


@public_page
def aids(request, territory_slug):
    territory = request.territory
    form = EligibilityForm(request.GET or None, territory=territory)
    eligible = None
    if form.is_bound and form.is_valid():
        eligible = eligibility.eligible_aids(
            territory=territory, profession=form.cleaned_data["profession"], commune=form.cleaned_data["commune"]
        )
    return render(
        request,
        "installations/aids.html",
        {
            "territory": territory,
            "form": form,
            "eligible": eligible,
            "aids": Aid.objects.for_territory(territory).filter(active=True).order_by("name"),
        },
    )


def opportunity_list(request, territory_slug):
    territory = request.territory
    filterset = OpportunityFilter(
        request.GET or None, queryset=selectors.published_opportunities(territory), territory=territory
    )
    return render(
        request,
        "installations/opportunity_list.html",
        {"territory": territory, "filter": filterset, "form": filterset.form, "opportunities": filterset.qs},
    )


def opportunity_detail(request, territory_slug, pk):
    opportunity = get_object_or_404(selectors.published_opportunities(request.territory), pk=pk)
    return render(
        request, "installations/opportunity_detail.html", {"territory": request.territory, "opportunity": opportunity}
    )
