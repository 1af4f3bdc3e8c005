import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from portal.models import ProfessionalProfile
from tests.portal.factories import UserFactory


def test_wrong_rpps_is_refused_next_to_the_field_and_the_rest_is_kept(db, login):
    user = UserFactory(email="dr.martin@exemple.fr")
    client = login(user)
    response = client.post(
        reverse("portal:profile_edit"),
        {
            "identity-first_name": "Claire",
            "identity-last_name": "Martin",
            "identity-phone": "06 12 34 56 78",
            "profile-profession": "doctor_gp",
            "profile-specialty": "Médecine générale",
            "profile-rpps": "10003456787",
            "profile-practice_mode": "liberal",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "clé de contrôle" in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="id_profile-rpps_error' in body
    assert 'value="Claire"' in body and 'value="10003456787"' in body
    assert not ProfessionalProfile.objects.exists()


def test_professional_saves_a_valid_profile_with_spaces_in_rpps(db, login):
    user = UserFactory(email="dr.leroy@exemple.fr")
    response = login(user).post(
        reverse("portal:profile_edit"),
        {
            "identity-first_name": "Paul",
            "identity-last_name": "Leroy",
            "identity-phone": "",
            "profile-profession": "intern",
            "profile-specialty": "",
            "profile-rpps": "100 0345 6786",
            "profile-practice_mode": "",
        },
    )
    assert response.status_code == 302
    assert ProfessionalProfile.objects.get(user=user).rpps == "10003456786"


def test_personal_space_requires_sign_in(client, db):
    response = client.get(reverse("portal:personal_space"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_every_response_carries_the_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_sessions_expire_after_inactivity():
    # Pushed back by activity (portal.sessions, tests/portal/test_sessions.py), at most once a minute.
    assert settings.SESSION_COOKIE_AGE <= 3600
    assert "portal.sessions.SessionActivityMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_REFRESH_AFTER <= 120


def run_production_check(*args, **overrides):
    """`manage.py check` on the production settings in a fresh process, with a complete environment
    that `overrides` change (None removes a variable)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/guichet",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
        "ALLOWED_HOSTS": "sante.example.org",
        "PATH": "/usr/bin:/bin",
    }
    env.update(overrides)
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(  # noqa: S603  (arguments written in these tests)
        [sys.executable, "manage.py", "check", *args], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


@pytest.mark.parametrize("secret", ["", "demo-only-insecure-key-never-use-in-production"])
def test_production_settings_refuse_a_missing_or_demo_secret(secret):
    result = run_production_check(SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("variable", ["REDIS_URL", "CELERY_BROKER_URL"])
@pytest.mark.parametrize("value", [None, ""])
def test_production_settings_refuse_to_start_without_redis_or_broker(variable, value):
    # Without them production would quietly fall back on the demo's per-process cache and eager tasks.
    result = run_production_check(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} est obligatoire en production" in result.stderr


def test_production_settings_pass_check_deploy_without_warning():
    result = run_production_check("--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
