"""Each role's main pages on the embedded SQLite demo (run by .ci/run with `manage.py shell`).

The test suite runs on PostgreSQL; this walks the pages whose reads differ by database (the case
list's fixed SQL, the case page's arrays) on the default a newcomer starts with, and fails on any
answer other than 200."""

from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from installations.models import Case
from portal.models import User


def signed_in(email):
    user = User.objects.get(email=email)
    if user.is_staff:  # the admin asks for a second factor: one enrolled, as the tests do
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})
    client = Client()
    client.force_login(user)
    return client


case = Case.objects.filter(territory__slug="cotentin", applicant__isnull=False).first()
visits = [
    (signed_in("coordination@cotentin.demo"), "/admin/installations/case/"),
    (signed_in("coordination@cotentin.demo"), "/admin/installations/case/?o=assigned&q=a"),
    (signed_in("coordination@cotentin.demo"), reverse("admin:installations_case_change", args=[case.pk])),
    (signed_in("coordination@cotentin.demo"), reverse("admin:installations_dashboard")),
    (signed_in("partenaire@cotentin.demo"), "/admin/installations/case/?o=assigned"),
    (signed_in(case.applicant.email), reverse("installations:case_detail", args=["cotentin", case.pk])),
    (Client(), reverse("installations:aids", args=["cotentin"]) + "?profession=nurse"),
    (Client(), reverse("training:offer_list", args=["agen"])),
    (Client(), reverse("prevention:agenda", args=["agen"])),
]
answers = [(url, client.get(url, HTTP_HOST="127.0.0.1").status_code) for client, url in visits]
failed = [(url, status) for url, status in answers if status != 200]
if failed:
    raise SystemExit(f"Pages de la démo en erreur : {failed}")
print(f"{len(visits)} pages de la démo répondent")
