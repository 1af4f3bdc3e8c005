import factory
from django.utils import timezone

from portal.notifications.enums import EmailMode, EmailState
from portal.notifications.models import Notification, NotificationPreference
from tests.portal.factories import TerritoryFactory, UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification already e-mailed; traits for the other outbox states."""

    class Meta:
        model = Notification

    territory = factory.SubFactory(TerritoryFactory)
    recipient = factory.SubFactory(UserFactory)
    kind = "portal.test"
    subject = factory.Sequence(lambda n: f"Votre demande n°{n} a avancé")
    body = "La coordinatrice a répondu à votre demande d'accompagnement."
    url = "/espace/"
    email_state = EmailState.SENT
    email_attempts = 1
    email_sent_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(email_state=EmailState.PENDING, email_attempts=0, email_sent_at=None)
        waiting_digest = factory.Trait(email_state=EmailState.DIGEST, email_attempts=0, email_sent_at=None)
        failed = factory.Trait(
            email_state=EmailState.FAILED,
            email_attempts=5,
            email_sent_at=None,
            email_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        unknown = factory.Trait(email_state=EmailState.UNKNOWN, email_sent_at=None)
        read = factory.Trait(read_at=factory.LazyFunction(timezone.now))


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    """Global model (one per person): `territory=` is accepted, and ignored, like the scoped factories."""

    class Meta:
        model = NotificationPreference
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    email_mode = EmailMode.DIGEST

    class Params:
        territory = None
