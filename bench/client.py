"""A plain HTTP client that uses the portal as a browser without JavaScript does:
cookies, CSRF tokens, forms sent with the values they came with, sign-in with the
second factor. Each simulated user has one, and an address of its own (sent as
the proxy's `X-Forwarded-For`), so the limits per address count each user apart.
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bench import pages
from bench.fetching import totp_code

TIMEOUT = 60


class NoAnswer(Exception):
    """The connection closed, was refused or timed out before an answer."""


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Submit buttons: (name, value); a browser sends the one pressed.
    buttons: list[tuple[str, str]] = field(default_factory=list)
    # Radio groups seen, with their values, for a choice to make.
    radios: dict[str, list[str]] = field(default_factory=dict)

    def values(self, **overrides: str) -> list[tuple[str, str]]:
        kept = [(name, value) for name, value in self.fields if name not in overrides]
        return kept + [(name, value) for name, value in overrides.items() if value is not None]


class FormParser(HTMLParser):
    """Every form of a page with the values a browser would send untouched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.option: list | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name is not None and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if kind == "radio":
                    form.radios.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind != "file":
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name is not None:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name is not None:
            self.select = (name, [])
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
            self.select[1].append(self.option)
        elif tag == "textarea" and name is not None:
            self.textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select is not None:
            name, options = self.select
            chosen = [o for o in options if o[1]] or options[:1]
            for value, _selected, label in chosen:
                self.forms[-1].fields.append((name, label.strip() if value is None else value))
            self.select = None
            self.option = None
        elif tag == "option":
            self.option = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            self.forms[-1].fields.append((name, "".join(parts).lstrip("\n")))
            self.textarea = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


class Client:
    """One simulated user: a cookie jar, an address, and a record of timings."""

    def __init__(self, base: str, address: str, record=None) -> None:
        parts = urllib.parse.urlsplit(base)
        self.base = base
        self.host, self.port = parts.hostname, parts.port
        self.address = address
        self.cookies: dict[str, str] = {}
        self.record = record  # called with (kind, status or None, seconds)
        # English, so that the messages users are shown read the same in every run.
        self.language = "en"

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base + "/", path)

    def request(
        self,
        method: str,
        path: str,
        *,
        kind: str | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        referer: str | None = None,
    ) -> Answer:
        path = urllib.parse.urlsplit(self.url(path))
        target = path.path + (f"?{path.query}" if path.query else "")
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Accept-Language": self.language,
            "Accept-Encoding": "identity",
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            # The portal believes it is served over HTTPS: Django then checks the Referer.
            headers["Referer"] = f"https://{self.host}:{self.port}{referer or target}"
            headers["Origin"] = f"https://{self.host}:{self.port}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(
                response.status, response.headers, response.read(), time.perf_counter() - started
            )
        except (OSError, http.client.HTTPException) as error:
            seconds = time.perf_counter() - started
            if self.record and kind:
                self.record(kind, None, seconds)
            raise NoAnswer(f"{method} {target}: {type(error).__name__}: {error}") from error
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _equals, value = header.split(";", 1)[0].partition("=")
            if value.strip() in ('""', ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        if self.record and kind:
            self.record(kind, answer.status, answer.seconds)
        return answer

    def get(self, path: str, kind: str | None = None) -> Answer:
        return self.request("GET", path, kind=kind)

    def post(
        self, path: str, data: list[tuple[str, str]], kind: str | None = None, referer=None
    ) -> Answer:
        body = urllib.parse.urlencode(data).encode()
        return self.request("POST", path, kind=kind, body=body, referer=referer)

    def post_multipart(
        self,
        path: str,
        data: list[tuple[str, str]],
        files: dict[str, tuple[str, bytes, str]],
        kind: str | None = None,
        referer=None,
    ) -> Answer:
        boundary = uuid.uuid4().hex
        chunks = []
        for name, value in data:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, mime) in files.items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            kind=kind,
            body=b"".join(chunks),
            content_type=f"multipart/form-data; boundary={boundary}",
            referer=referer,
        )

    def form(
        self, answer: Answer, page_path: str, action_contains: str = "", method: str = "post"
    ) -> Form:
        """The first form of the page whose action (the page itself when empty) holds
        the given text."""
        for form in forms_of(answer.text):
            form.action = form.action or page_path
            if form.method == method and action_contains in form.action:
                return form
        raise LookupError(f"no {method} form with {action_contains!r} in its action")

    def submit(
        self, page_path: str, answer: Answer, action_contains: str = "", kind=None, **overrides
    ) -> Answer:
        form = self.form(answer, page_path, action_contains)
        return self.post(form.action, form.values(**overrides), kind=kind, referer=page_path)

    def sign_in(self, email: str, secret: str = pages.TOTP_SECRET, kind="sign-in") -> None:
        """The log-in form, then the second factor when the account has one."""
        page = self.get("/account/login/", kind)
        answer = self.submit(
            "/account/login/", page, "login", kind=kind, login=email, password=pages.PASSWORD
        )
        if answer.status != 302:
            raise RuntimeError(f"signing in as {email} answered {answer.status}")
        if "/2fa/" not in answer.location:
            return
        path = urllib.parse.urlsplit(self.url(answer.location)).path
        for _attempt in range(3):
            # A code typed in the last seconds of its period may arrive in the next one.
            if time.time() % 30 > 26:
                time.sleep(30 - time.time() % 30 + 0.5)
            form_page = self.get(path, kind)
            answer = self.submit(
                path, form_page, "2fa", kind=kind, code=totp_code(secret, time.time())
            )
            if answer.status == 302:
                return
            time.sleep(30 - time.time() % 30 + 0.5)
        raise RuntimeError(f"the second factor of {email} answered {answer.status}")
