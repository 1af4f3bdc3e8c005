"""Writes of the shared core. Keyword-only, atomic, taking the acting user."""

from typing import Any

from django.db import transaction

from portal.models import ProfessionalProfile, User


@transaction.atomic
def profile_update(*, actor: User, identity: dict[str, Any], profile: dict[str, Any]) -> ProfessionalProfile:
    """A person updates their own identity and professional profile (nobody else may)."""
    for field, value in identity.items():
        setattr(actor, field, value)
    actor.save(update_fields=list(identity))
    professional, _created = ProfessionalProfile.objects.update_or_create(user=actor, defaults=profile)
    return professional
