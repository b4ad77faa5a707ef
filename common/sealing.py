"""Archives sealed with a key: encrypted and authenticated as a stream, so that a
large backup is never held whole in memory.

The construction is the STREAM one (as in Tink's AES-GCM-HKDF streaming and
age): each archive gets its own AES-256-GCM key, derived with HKDF from the
master key and a random salt written in the header; the plain text is cut into
segments of 1 MiB, each sealed with a nonce made of a random prefix, its number
and a flag on the last one. A segment changed, moved, dropped or added, or an
archive cut short, fails to open. The header names the master key by a short
fingerprint, so that opening with another key says so.

The master key (ACRSS_BACKUP_KEY) is 32 random bytes in base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"ACRSSENC"
VERSION = b"\x01"
SEGMENT = 1024 * 1024
TAG = 16
KEY_ID_BYTES, SALT_BYTES, PREFIX_BYTES = 8, 16, 7
HEADER_BYTES = len(MAGIC) + len(VERSION) + KEY_ID_BYTES + SALT_BYTES + PREFIX_BYTES


class SealError(Exception):
    """A sealed archive that cannot be opened; the message says why."""


def parse_key(text: str) -> bytes:
    """The master key from its base64 text (standard or URL-safe alphabet)."""
    try:
        key = base64.b64decode(text.strip().replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError("must be 32 random bytes in base64 (`openssl rand -base64 32`)")
    return key


def key_id(key: bytes) -> str:
    """A fingerprint that names the key without revealing it."""
    return hmac.new(key, b"acrss backup key id", hashlib.sha256).hexdigest()[: KEY_ID_BYTES * 2]


def _segment_cipher(key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"acrss backup v1")
    return AESGCM(derived.derive(key))


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    if number >= 2**32:
        raise SealError("The archive is too large to seal (over 4 PiB).")
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)


class SealingWriter:
    """A write-only file that seals what is written into `file`; `close()` seals
    the last segment (and leaves `file` open)."""

    def __init__(self, file, key: bytes, write=None) -> None:
        self._file, self._write = file, write or (lambda file, data: file.write(data))
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self._header = MAGIC + VERSION + bytes.fromhex(key_id(key)) + salt + prefix
        self._cipher, self._prefix = _segment_cipher(key, salt), prefix
        self._buffer, self._number, self.closed = bytearray(), 0, False
        self._write(file, self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        # A full segment is sealed only once more follows: the last one is flagged.
        while len(self._buffer) > SEGMENT:
            self._seal(bytes(self._buffer[:SEGMENT]), last=False)
            del self._buffer[:SEGMENT]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._number, last)
        self._write(self._file, self._cipher.encrypt(nonce, plain, self._header))
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True


class OpeningReader:
    """A read-only file of the plain text of the sealed `file`."""

    def __init__(self, file, key: bytes) -> None:
        header = file.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not is_sealed(header):
            raise SealError("This is not a sealed archive.")
        if header[len(MAGIC) : len(MAGIC) + 1] != VERSION:
            raise SealError("This archive was sealed by a newer version of the portal.")
        start = len(MAGIC) + 1
        sealed_with = header[start : start + KEY_ID_BYTES].hex()
        if sealed_with != key_id(key):
            raise SealError(
                f"This archive was sealed with another key (fingerprint {sealed_with}); "
                f"ACRSS_BACKUP_KEY is the key {key_id(key)}."
            )
        salt = header[start + KEY_ID_BYTES : start + KEY_ID_BYTES + SALT_BYTES]
        self._prefix = header[-PREFIX_BYTES:]
        self._file, self._header = file, header
        self._cipher = _segment_cipher(key, salt)
        self._next = file.read(SEGMENT + TAG)
        self._plain, self._offset, self._number, self._ended = b"", 0, 0, False

    def _open_next(self) -> None:
        sealed, self._next = self._next, self._file.read(SEGMENT + TAG)
        last = not self._next
        if len(sealed) < TAG:
            raise SealError("The archive is cut short: it ends before its last part.")
        try:
            self._plain = self._cipher.decrypt(
                _nonce(self._prefix, self._number, last), sealed, self._header
            )
        except InvalidTag:
            raise SealError(
                "The archive is damaged or cut short: a part of it does not match its seal."
            ) from None
        self._offset = 0
        self._number += 1
        self._ended = last

    def read(self, size: int = -1) -> bytes:
        parts, wanted = [], size if size >= 0 else float("inf")
        while wanted > 0:
            if self._offset == len(self._plain):
                if self._ended:
                    break
                self._open_next()
                continue
            end = int(min(self._offset + wanted, len(self._plain)))
            parts.append(self._plain[self._offset : end])
            wanted -= end - self._offset
            self._offset = end
        return b"".join(parts)
