"""Requests as the bench makes them outside wrk: one at a time, redirects not
followed, and signing in through the portal's own forms, second factor included."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from bench import pages


@dataclass
class Response:
    status: int
    headers: object
    body: bytes


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(
    url: str,
    cookies: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    encoding: str = "identity",
) -> Response:
    """One request, redirects not followed, the body as it came over the wire."""
    headers = {"Accept-Encoding": encoding, "Accept-Language": "fr"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with OPENER.open(request, timeout=120) as answer:
            response = Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        response = Response(error.code, error.headers, error.read())
    if cookies is not None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _equals, value = header.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
    return response


def csrf_token(response: Response) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.body)
    if not match:
        sys.exit("no CSRF token in the sign-in form")
    return match.group(1).decode()


def totp_code(secret: str, at: float) -> str:
    """RFC 6238, as authenticator apps compute it."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(base: str, email: str) -> str:
    """Sign in through the portal's own forms, second factor included: the session id."""
    cookies: dict[str, str] = {}
    form = fetch(base + "/account/login/", cookies)
    answer = fetch(
        base + "/account/login/",
        cookies,
        {"login": email, "password": pages.PASSWORD, "csrfmiddlewaretoken": csrf_token(form)},
    )
    location = answer.headers.get("Location", "")
    if answer.status != 302:
        sys.exit(f"signing in as {email} answered {answer.status}")
    if "/2fa/" in location:
        second_factor = urllib.parse.urljoin(base, location)
        for _attempt in range(2):
            # A code typed in the last seconds of its period may reach the server
            # in the next one, as with a phone: then wait for a fresh code.
            if time.time() % 30 > 25:
                time.sleep(30 - time.time() % 30 + 0.5)
            form = fetch(second_factor, cookies)
            code = totp_code(pages.TOTP_SECRET, time.time())
            token = csrf_token(form)
            answer = fetch(second_factor, cookies, {"code": code, "csrfmiddlewaretoken": token})
            if answer.status == 302:
                break
            time.sleep(30 - time.time() % 30 + 0.5)
        else:
            sys.exit(f"the second factor of {email} answered {answer.status}")
    return cookies["sessionid"]
