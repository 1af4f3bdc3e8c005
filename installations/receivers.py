"""Signal receivers, connected in InstallationsConfig.ready().

A request made without an account and confirmed by e-mail joins the person's account as soon as
that address is verified or its owner signs in. A saved or deleted case, need or team membership
makes the territory's cached status counts stale (list_cache).
"""

from installations import list_cache
from installations.services.submission import cases_claim


def territory_changed(sender, instance, **kwargs):
    list_cache.changed(instance.territory_id)


def claim_on_sign_in(sender, request, user, **kwargs):
    cases_claim(actor=user)


def claim_on_email_confirmed(sender, request, email_address, **kwargs):
    if email_address.user_id is not None:
        cases_claim(actor=email_address.user)
