"""A worker's child killed in the middle of a task: the task's message is delivered again (late
acks, reject on worker lost), and the work is done once, neither lost nor doubled.

The task is the one most easily doubled: sending an email. A real Celery worker (prefork, one
child) sends to a mail server this test runs. The server stalls the first delivery after it has
the whole message but before it accepts it; the test kills the child there, then lets the server
accept. The email must arrive exactly once and be marked sent."""

import os
import signal
import socket
import socketserver
import threading
import time
from pathlib import Path

import pytest
from django.db import transaction

from config.mail import email_once
from config.models import OutboundEmail
from tests.conftest import start_worker


class MailServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend. While `stall` is set, a message is received but
    never accepted (no 250 after the data): it does not count as delivered."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.accepted: list[str] = []
        self.stall = threading.Event()
        self.stalled = threading.Event()  # set when a message is held unanswered
        self.stall.set()


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 test SMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command == "DATA":
                self.reply("354 go on")
                self.receive_message()
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def receive_message(self):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line.decode(errors="replace"))
        if self.server.stall.is_set():
            self.server.stalled.set()
            while self.server.stall.is_set():  # hold the sender mid-send, until it dies
                time.sleep(0.05)
            return  # never accepted
        self.server.accepted.append("".join(lines))
        self.reply("250 accepted")


@pytest.fixture
def mail_server():
    server = MailServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stall.clear()
    server.shutdown()
    server.server_close()


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def wait_for(condition, timeout=90, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_an_email_whose_worker_child_is_killed_mid_send_is_sent_once(mail_server):
    env = {
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_server.server_address[1]),
    }
    with start_worker(pool="prefork", env=env) as worker:
        with transaction.atomic():
            email_once(
                key="redelivery-test", subject="Killed mid-send", body="Once, and only once.",
                recipients=["inspector@met.police.example"],
            )
        assert mail_server.stalled.wait(60), "the worker never reached the mail server"
        (child,) = children(worker.pid)

        os.kill(child, signal.SIGKILL)  # mid-task: the message is in, not yet accepted
        mail_server.stall.clear()

        wait_for(lambda: OutboundEmail.objects.get().sent_at is not None, what="the resend")
        wait_for(lambda: children(worker.pid) and children(worker.pid) != [child],
                 what="a new child")
        time.sleep(1)  # anything doubled would have arrived by now

    assert len(mail_server.accepted) == 1
    assert "Subject: Killed mid-send" in mail_server.accepted[0]
    assert OutboundEmail.objects.count() == 1


def test_the_mail_server_double_stands_in_for_smtp(mail_server):
    """The fake server is an SMTP server as far as Django's backend is concerned."""
    from django.core.mail.backends.smtp import EmailBackend
    from django.core.mail.message import EmailMessage

    mail_server.stall.clear()
    backend = EmailBackend(host="127.0.0.1", port=mail_server.server_address[1], timeout=5)
    assert backend.send_messages([EmailMessage("Hi", "Body", to=["a@example.org"])]) == 1
    assert "Subject: Hi" in mail_server.accepted[0]
    with socket.create_connection(mail_server.server_address, timeout=5) as conn:
        assert conn.recv(100).startswith(b"220")
