"""A small SMTP relay for the reminder tests, on a socket in a thread.

It speaks enough SMTP (RFC 5321) for smtplib: EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT. Each message it *keeps* is in ``relay.kept`` (parsed),
whatever the client later hears. What it does with a message is planned per
recipient (or for anyone, ``"*"``), one behaviour per message, taken in order:

- ``"ok"``: keep it, reply 250 (the default when nothing is planned);
- ``"refuse"``: reply 451 to the message (not kept);
- ``"drop_before_data"``: close the connection at RCPT (not kept);
- ``"drop_after_dot"``: keep it, then close without replying;
- ``"late_250"``: keep it, reply 250 after ``late_delay`` seconds (set it
  longer than the client's EMAIL_TIMEOUT);
- ``"stall_data"``: answer DATA with 354, set ``data_started`` and read
  until the client goes away (not kept: the message never ended).
"""

from __future__ import annotations

import collections
import email
import socketserver
import threading
import time


class Relay:
    def __init__(self, late_delay: float = 1.5):
        self.kept: list[email.message.Message] = []
        self.plans: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self.late_delay = late_delay
        self.data_started = threading.Event()
        self.lock = threading.Lock()
        relay = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                relay._session(self.rfile, self.wfile)

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def plan(self, recipient: str, *behaviours: str) -> None:
        with self.lock:
            self.plans[recipient].extend(behaviours)

    def _take(self, recipient: str) -> str:
        with self.lock:
            for key in (recipient, "*"):
                if self.plans[key]:
                    return self.plans[key].popleft()
        return "ok"

    def start(self) -> Relay:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def to(self, address: str) -> list[email.message.Message]:
        """Messages kept for ``address``."""
        return [m for m in self.kept if address in m["To"]]

    def _session(self, rfile, wfile):
        def say(text: str) -> None:
            wfile.write(text.encode() + b"\r\n")
            wfile.flush()

        say("220 relay.test ESMTP")
        behaviour = "ok"
        while True:
            line = rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                say("250 relay.test")
            elif verb == b"MAIL":
                behaviour = "ok"
                say("250 OK")
            elif verb == b"RCPT":
                address = line.decode().split(":", 1)[1].strip().strip("<>").lower()
                behaviour = self._take(address)
                if behaviour == "drop_before_data":
                    return
                say("250 OK")
            elif verb == b"DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                if behaviour == "stall_data":
                    self.data_started.set()
                    while rfile.readline():
                        pass
                    return
                body = []
                while True:
                    chunk = rfile.readline()
                    if not chunk:
                        return  # the client went away mid-message: nothing kept
                    if chunk == b".\r\n":
                        break
                    body.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                if behaviour == "refuse":
                    say("451 4.3.0 Try again later")
                    continue
                with self.lock:
                    self.kept.append(email.message_from_bytes(b"".join(body)))
                if behaviour == "drop_after_dot":
                    return
                if behaviour == "late_250":
                    time.sleep(self.late_delay)
                    try:
                        say("250 OK late")
                    except OSError:
                        pass
                    return
                say("250 OK")
            elif verb in (b"RSET", b"NOOP"):
                say("250 OK")
            elif verb == b"QUIT":
                say("221 Bye")
                return
            else:
                say("500 Unknown command")


def running_relay(settings):
    """For a fixture (``yield from running_relay(settings)``): a running
    :class:`Relay`, with Django's SMTP backend pointed at it,
    a half-second EMAIL_TIMEOUT and no waiting between cron-mode retries."""
    server = Relay().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 0.5
    settings.REMINDER_RETRY_DELAYS = (0, 0)
    yield server
    server.stop()
