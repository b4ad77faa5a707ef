"""A tiny SMTP server on 127.0.0.1 for the soak and the fault cases: it keeps every
message it accepts, or (``hang=True``) accepts connections and never answers."""

from __future__ import annotations

import email
import socketserver
import threading
from dataclasses import dataclass, field
from email.policy import default


@dataclass
class Received:
    sender: str
    recipients: list[str]
    subject: str
    body: str


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, message: Received) -> None:
        with self.lock:
            self.messages.append(message)

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.messages)


class Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        if self.server.hang:
            self.server.connections += 1
            self.server.hung.wait(600)  # accepted, and never a word
            return
        self.reply("220 soak.example.org ESMTP")
        sender, recipients = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip()
            upper = verb.upper()
            if upper.startswith(("EHLO", "HELO")):
                self.reply("250 soak.example.org")
            elif upper.startswith("MAIL FROM:"):
                sender, recipients = verb[10:].strip(" <>"), []
                self.reply("250 OK")
            elif upper.startswith("RCPT TO:"):
                recipients.append(verb[8:].strip(" <>"))
                self.reply("250 OK")
            elif upper == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                message = email.message_from_bytes(b"".join(lines), policy=default)
                part = message.get_body(("plain",)) if message.is_multipart() else message
                body = part.get_content() if part is not None else ""
                self.server.mailbox.add(
                    Received(sender, recipients, str(message["Subject"] or ""), body)
                )
                self.reply("250 OK: queued")
            elif upper == "QUIT":
                self.reply("221 Bye")
                return
            elif upper in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 Command not implemented")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, port: int = 0, *, hang: bool = False, mailbox: Mailbox | None = None
    ) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.hang = hang
        self.hung = threading.Event()
        self.connections = 0
        self.mailbox = mailbox or Mailbox()
        self.port = self.server_address[1]
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.hung.set()
        self.shutdown()
        self.server_close()
