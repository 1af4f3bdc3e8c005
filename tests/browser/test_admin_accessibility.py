"""Every page of the back office a coordinator opens — each territory model's list, an object's page
and the page to create one — read by axe-core in headless Chromium at 1,280 px: no serious or
critical violation, no horizontal scroll, and a French title that says what the page is for (never
Django's "Sélectionnez l'objet … à changer"). The walk covers every model registered in the admin
that has a factory: a new app's pages are checked as soon as they exist."""

import pytest
from django.urls import reverse

from portal.enums import Role
from tests.browser.conftest import axe_violations
from tests.portal.factories import MembershipFactory
from tests.tenancy.registry import build, factories_by_model, scoped_admin_models

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(territory):
    for model in scoped_admin_models():
        if model not in factories_by_model() and model._meta.label != "portal.Territory":
            continue
        info = model._meta.app_label, model._meta.model_name
        obj = build(model, territory)
        yield model, reverse("admin:{}_{}_changelist".format(*info))
        yield model, reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        yield model, reverse("admin:{}_{}_add".format(*info))  # a role that may not add gets 403: skipped


def test_every_admin_page_of_a_coordinator_is_accessible_and_titled(
    page, live_server, territory_a, make_person, sign_in
):
    coordinator = make_person("coordination@alpha.fr", totp=True, staff=True)
    MembershipFactory(user=coordinator, territory=territory_a, role=Role.COORDINATOR)
    sign_in(page, coordinator, expect_path=None)
    problems, seen = [], 0
    for model, url in list(_pages(territory_a)):
        response = page.goto(live_server.url + url)
        if response is None or response.status in (403, 404):  # a page this role does not open
            continue
        seen += 1
        if response.status != 200:
            problems.append(f"{url}: {response.status}")
            continue
        title = page.title()
        if "Sélectionnez l" in title or " de " + str(model._meta.verbose_name) in title.split("|")[0]:
            problems.append(f"{url}: title {title!r}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 1280:
            problems.append(f"{url}: {width} px wide")
        problems += [f"{url}: {violation}" for violation in axe_violations(page)]
    assert seen > 40
    assert not problems, "\n".join(problems)
