"""The training demo: Agen's Maison des internes, the Cotentin's joint town–hospital programmes,
Deux-Sèvres' welcome kits; idempotent, and `make run`'s SQLite accepts it."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portal.models import Territory
from training.models import Booking, HousingUnit, Offer, Placement, WelcomeKit

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", force=True, stdout=StringIO())


def _counts():
    return {model.__name__: model.objects.count() for model in (Offer, Placement, HousingUnit, Booking, WelcomeKit)}


def test_the_demo_shows_each_territory_what_its_plan_asks_for_and_runs_twice():
    _seed()
    counts = _counts()
    _seed()
    assert _counts() == counts

    agen, cotentin, deux_sevres = (Territory.objects.get(slug=s) for s in ("agen", "cotentin", "deux-sevres"))
    residence = HousingUnit.objects.for_territory(agen).filter(residence="Maison des internes d'Agen")
    assert residence.count() == 6 and all(unit.open_to_locums for unit in residence)
    assert Booking.objects.for_territory(agen).filter(source="locum").exists()
    joint = [o for o in Offer.objects.for_territory(cotentin) if o.sites.count() > 1]
    assert joint and all("ville-hôpital" in o.title for o in joint)
    assert WelcomeKit.objects.for_territory(deux_sevres).count() >= 3
    student = Placement.objects.get(student__email="interne@guichet.demo")
    assert student.territory == agen and student.bookings.get().unit.residence == "Maison des internes d'Agen"


def test_the_demo_migrates_and_seeds_on_sqlite(tmp_path):
    """`make run` uses SQLite: the exclusion constraint is PostgreSQL-only and must not stop it,
    and the service still refuses an overlap there."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    root = Path(settings.BASE_DIR)
    script = (
        "import datetime, django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.core.exceptions import ValidationError\n"
        "call_command('migrate', verbosity=0); call_command('seed_demo', verbosity=0)\n"
        "from portal.models import User\n"
        "from training.models import Booking\n"
        "from training.services.housing import booking_create\n"
        "taken = Booking.objects.filter(status='arrived').select_related('unit', 'territory').first()\n"
        "actor = User.objects.get(email='admin@guichet.demo')\n"
        "try:\n"
        "    booking_create(actor=actor, unit=taken.unit, source='placement', occupant_name='X',\n"
        "                   start_date=taken.start_date, end_date=taken.end_date, placement=taken.placement)\n"
        "except ValidationError as error:\n"
        "    print('refused:', error.message_dict['unit'][0])\n"
    )
    done = subprocess.run(  # noqa: S603  (arguments written here)
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "refused: Ce logement est déjà réservé sur une partie de ces dates." in done.stdout
