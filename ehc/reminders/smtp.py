"""Hand one digest to the mail server and say what became of it.

Three outcomes (:class:`Outcome`), because SMTP has three:

- ``SENT``: the server replied 250 to the message.
- ``FAILED``: it certainly did not keep it: it could not be reached, it
  refused (a 4xx or 5xx reply to the sender, a recipient or the message),
  or the connection broke before the whole message and its final "." had
  been written. Safe to retry.
- ``UNCERTAIN``: the whole message was written and then the connection
  dropped or timed out before the reply (RFC 5321 section 4.5.3.2.6: the
  server may already have taken responsibility for it). Retrying blindly
  could send it twice, so the caller records it and the next run decides
  by policy (``ehc/reminders/claims.py``).

With Django's SMTP backend (``EMAIL_BACKEND`` =
``django.core.mail.backends.smtp.EmailBackend``, the production setting)
the conversation is followed step by step (:class:`TrackedBackend`). With
any other backend only the exception is known: a dropped connection or a
timeout is taken as uncertain, anything else as failed.
"""

from __future__ import annotations

import enum
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends import smtp

DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"


class Outcome(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    error: str = ""  # what went wrong, for the row's last_error (no personal data)


class _Tracking:
    """Notes how far a conversation got: ``handed_over`` once the message
    and its final "." have been written to the socket, ``accepted`` once
    the server replied 250 to them."""

    handed_over = False
    accepted = False
    _in_data = False

    def data(self, msg):
        self._in_data = True
        try:
            code, reply = super().data(msg)
        finally:
            self._in_data = False
        self.accepted = code == 250
        return code, reply

    def send(self, s):
        super().send(s)
        # sendall() returned: every byte, the final CRLF.CRLF included, is written.
        if self._in_data and isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.handed_over = True


class TrackingSMTP(_Tracking, smtplib.SMTP):
    pass


class TrackingSMTP_SSL(_Tracking, smtplib.SMTP_SSL):  # noqa: N801 (smtplib's spelling)
    pass


class TrackedBackend(smtp.EmailBackend):
    """Django's SMTP backend, configured by the same settings, on a
    connection that tracks the conversation."""

    @property
    def connection_class(self):
        return TrackingSMTP_SSL if self.use_ssl else TrackingSMTP


def deliver(message) -> Delivery:
    """Send one ``EmailMessage`` on a connection of its own; never raises
    for a mail error, returns what became of it."""
    tracked = settings.EMAIL_BACKEND == DJANGO_SMTP
    connection = TrackedBackend(fail_silently=False) if tracked else get_connection()
    conversation = None
    try:
        connection.open()
        conversation = getattr(connection, "connection", None)
        connection.send_messages([message])
    except Exception as error:  # noqa: BLE001 - every error is classified below
        return Delivery(_classify(error, tracked, conversation), _words(error))
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 - the outcome is already known
            pass
    return Delivery(Outcome.SENT)


def _classify(error: Exception, tracked: bool, conversation) -> Outcome:
    if isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
        return Outcome.FAILED  # the server answered no
    if tracked:
        if conversation is None:  # never connected
            return Outcome.FAILED
        if conversation.accepted:  # broke after the 250 (while closing)
            return Outcome.SENT
        return Outcome.UNCERTAIN if conversation.handed_over else Outcome.FAILED
    if isinstance(error, smtplib.SMTPServerDisconnected | TimeoutError):
        return Outcome.UNCERTAIN
    return Outcome.FAILED


def _words(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]
