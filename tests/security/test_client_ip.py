"""Defect 1 of issue 10: login throttling counts per client, as the trusted proxy reports it.

Behind the production TLS proxy every request comes from the proxy's address: without a trusted
proxy configured, five failed logins by anyone would lock every account for everyone.
"""

import runpy
from pathlib import Path

import pytest
from django.urls import reverse

from tests.portal.test_accounts import PASSWORD, verified_user

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"


def settings_from_environment(monkeypatch, **environ):
    """The base settings as they read `environ` (the way docker-compose passes .env)."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def sign_in_from(client, ip, email, password=PASSWORD, forwarded_for=None):
    # The proxy appends the address it saw to whatever X-Forwarded-For the client sent.
    header = f"{forwarded_for}, {ip}" if forwarded_for else ip
    return client.post(reverse("account_login"), {"login": email, "password": password}, HTTP_X_FORWARDED_FOR=header)


def test_trusted_proxy_settings_are_read_from_the_environment(monkeypatch):
    read = settings_from_environment(
        monkeypatch, ALLAUTH_TRUSTED_PROXY_COUNT="1", ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP"
    )
    assert read["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert read["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] == "X-Real-IP"

    monkeypatch.delenv("ALLAUTH_TRUSTED_PROXY_COUNT")
    monkeypatch.delenv("ALLAUTH_TRUSTED_CLIENT_IP_HEADER")
    default = runpy.run_path(str(BASE_SETTINGS))
    assert default["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0, "no proxy trusted unless configured"
    assert default["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None


@pytest.mark.django_db
def test_failed_logins_from_one_client_do_not_lock_another_client_behind_the_proxy(client, settings, monkeypatch):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = settings_from_environment(monkeypatch, ALLAUTH_TRUSTED_PROXY_COUNT="1")[
        "ALLAUTH_TRUSTED_PROXY_COUNT"
    ]
    verified_user("victime@exemple.fr")
    verified_user("medecin@exemple.fr")
    for attempt in range(6):  # 5 failures per 5 minutes per IP, then 429
        # Rotating a forged first entry does not escape the limit: the proxy's entry is the one counted.
        sign_in_from(
            client, "203.0.113.9", f"inconnu{attempt}@exemple.fr", "mauvais", forwarded_for=f"10.0.0.{attempt}"
        )
    assert sign_in_from(client, "203.0.113.9", "victime@exemple.fr").status_code == 429

    other = sign_in_from(client.__class__(), "198.51.100.7", "medecin@exemple.fr")

    assert other.status_code == 302, "another client's login is not throttled by the first one's failures"


@pytest.mark.django_db
def test_a_forged_forwarded_for_is_not_trusted_when_no_proxy_is_configured(client, settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    verified_user("medecin@exemple.fr")
    for attempt in range(6):
        sign_in_from(client, f"192.0.2.{attempt}", f"inconnu{attempt}@exemple.fr", "mauvais")

    # Every attempt came from the same socket address (REMOTE_ADDR): the header changes nothing.
    assert sign_in_from(client, "198.51.100.7", "medecin@exemple.fr").status_code == 429
