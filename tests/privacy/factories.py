import factory
from django.utils import timezone

from portal.privacy.enums import AccessibilityStatus, AccessKind
from portal.privacy.models import AccessLog, LegalNotice
from tests.portal.factories import TerritoryFactory, UserFactory


class LegalNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalNotice
        django_get_or_create = ("territory",)

    territory = factory.SubFactory(TerritoryFactory)
    publication_director = "Mme la Présidente"
    dpo_name = "Service protection des données"
    dpo_email = "dpo@exemple.fr"
    accessibility_status = AccessibilityStatus.PARTIAL


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    territory = factory.SubFactory(TerritoryFactory)
    user = factory.SubFactory(UserFactory, staff=True)
    user_email = factory.LazyAttribute(lambda o: o.user.email)
    kind = AccessKind.CASE_PAGE
    object_ref = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    created_at = factory.LazyFunction(timezone.now)
