"""Signal receivers, connected in InstallationsConfig.ready().

A request made without an account and confirmed by e-mail joins the person's account as soon as
that address is verified or its owner signs in. A saved or deleted case, need or team membership
makes the territory's cached status counts, team and communes stale (list_cache), and so does a
change of its communes, of its name, of one of its communes or of a member of its team.
"""

from installations import list_cache
from installations.services.submission import cases_claim


def territory_changed(sender, instance, **kwargs):
    list_cache.changed(instance.territory_id)


def territory_saved(sender, instance, **kwargs):
    list_cache.changed(instance.pk)


def team_member_changed(sender, instance, created=False, update_fields=None, **kwargs):
    # A new account is in no team yet; signing in writes last_login only, which the list does not show.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    from portal.models import Membership

    for territory_id in Membership.objects.filter(user=instance).values_list("territory_id", flat=True).distinct():
        list_cache.changed(territory_id)


def commune_changed(sender, instance, **kwargs):
    for territory_id in instance.territories.values_list("pk", flat=True):
        list_cache.changed(territory_id)


def territory_communes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    from portal.models import Territory

    if not reverse:  # territory.communes.add(…)
        list_cache.changed(instance.pk)
    elif pk_set:  # commune.territories.add(…)
        for territory_id in pk_set:
            list_cache.changed(territory_id)
    else:  # commune.territories.clear()
        for territory_id in Territory.objects.values_list("pk", flat=True):
            list_cache.changed(territory_id)


def claim_on_sign_in(sender, request, user, **kwargs):
    cases_claim(actor=user)


def claim_on_email_confirmed(sender, request, email_address, **kwargs):
    if email_address.user_id is not None:
        cases_claim(actor=email_address.user)
