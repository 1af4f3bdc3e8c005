"""Real e-mail backends standing in for a mail server that misbehaves."""

import smtplib
import threading

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DisconnectingBackend(BaseEmailBackend):
    """A server that drops the connection: a transient failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """A server that refuses the recipient: a permanent failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"No such user") for m in email_messages})


class SlowBackend(LocmemBackend):
    """Holds each send long enough for a second worker to try the same row meanwhile."""

    delay = 0.3

    def send_messages(self, email_messages):
        threading.Event().wait(self.delay)
        return super().send_messages(email_messages)


class ThreadRecordingBackend(LocmemBackend):
    """Notes which thread sent each message (the embedded worker runs in its own thread)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            message.sent_by_thread = threading.current_thread().name
        return super().send_messages(email_messages)
