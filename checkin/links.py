"""The self check-in link of one workshop and one day, and its QR code."""

from __future__ import annotations

import datetime

import qrcode
from django.core import signing
from qrcode.image.svg import SvgPathImage

SALT = "checkin.self"


def make_token(workshop_pk: int, day: datetime.date) -> str:
    """A signed token naming the workshop and the day: nobody can forge another day's."""
    return signing.dumps([workshop_pk, day.isoformat()], salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, datetime.date] | None:
    """The workshop id and day of a token, or None when it was not signed by us."""
    try:
        workshop_pk, day = signing.loads(token, salt=SALT)
        return int(workshop_pk), datetime.date.fromisoformat(day)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def qr_code_svg(url: str) -> str:
    """The QR code of a URL as SVG markup drawn by the server (one path, no script, no style)."""
    image = qrcode.make(url, image_factory=SvgPathImage, box_size=25, border=2)
    return image.to_string(encoding="unicode")
