"""The public pages of each demo territory at 360 and 1,280 px (`make screenshots`, then look at
var/screenshots/demo-*.png), with axe-core on each: the demo's own data, logos included."""

import mimetypes
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from installations.models import Opportunity
from portal.models import Territory
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("home", "/{slug}/"),
    ("start", "/{slug}/installation/"),
    ("aids-nurse", "/{slug}/installation/aides/?profession=nurse&commune={commune}"),
    ("opportunities", "/{slug}/installation/opportunites/"),
    ("opportunity", "/{slug}/installation/opportunites/{opportunity}/"),
    ("events", "/{slug}/evenements/"),
    ("sign-in", "/comptes/login/?next=/{slug}/installation/"),
]


def _serve_media(route):
    # The live server serves static files, not uploads: the demo's logos are read from MEDIA_ROOT.
    name = route.request.url.split(settings.MEDIA_URL, 1)[1]
    path = Path(settings.MEDIA_ROOT) / name
    if not path.is_file():
        return route.fulfill(status=404)
    return route.fulfill(body=path.read_bytes(), content_type=mimetypes.guess_type(path.name)[0])


def test_demo_public_pages_at_360_and_1280(browser, live_server, screenshot, assert_accessible):
    call_command("seed_demo", force=True, stdout=StringIO())
    for width in (PHONE["width"], 1280):
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
        page = context.new_page()
        page.route(f"**{settings.MEDIA_URL}**", _serve_media)
        for territory in Territory.objects.order_by("slug"):
            # Bricquebec in the Cotentin (a doctors' ZIP, "intermédiaire" for nurses); else the first.
            communes = territory.communes.order_by("insee_code")
            commune = communes.filter(insee_code="50082").first() or communes.first()
            opportunity = Opportunity.objects.for_territory(territory).filter(published=True).first()
            for name, path in PAGES:
                if "{opportunity}" in path and opportunity is None:
                    continue
                url = path.format(slug=territory.slug, commune=commune.pk, opportunity=getattr(opportunity, "pk", 0))
                response = page.goto(f"{live_server.url}{url}")
                assert response.status == 200, url
                assert_accessible(page, url)
                if width == PHONE["width"]:
                    assert page.evaluate("document.documentElement.scrollWidth") <= width, url
                screenshot(page, f"demo-{territory.slug}-{name}-{width}")
        context.close()
