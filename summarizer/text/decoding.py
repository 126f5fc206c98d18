"""Bytes to text: refuse binary data, honour byte-order marks and UTF-8, else the declared or a detected encoding.

Undeclared legacy bytes are split in two, because neither method wins both halves. Measured on news
sentences in 15 languages saved in 1-2 legacy encodings each (28 files) and on the 190 non-ASCII GVDB
dev articles saved as cp1252:

                            Western (12)  non-Latin (12)  Turkish (2)  Polish (2)  GVDB (190)  per file
  cp1252 rule alone              12              0             0            0          190       0.2 ms
  charset-normalizer 3.5          6             12             2            0          180       0.5 ms
  both (this module)             12             12             0            0          190       0.2 ms

- Mostly-ASCII prose with a few high bytes (English or Western European text with curly quotes and
  accents) is cp1252, else latin-1: charset-normalizer reads a lone ’ as Big5 or cp949 and "é" as
  cp1250 or cp1258 there.
- Everything else goes to charset-normalizer, which reads Cyrillic, Arabic, Hebrew, Chinese and
  Japanese that the rule refused (a single KOI8-R sentence alone is still misread).

Turkish and Polish in mostly-ASCII text take the rule and come out as cp1252 mojibake (the library
would get Turkish right but lose six Western files for it); the warning names the encoding used. Random
bytes are refused by both (0/100 accepted). The library is already imported by the HTTP stack, so it
adds nothing to start-up.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

import charset_normalizer

from summarizer.errors import InputError
from summarizer.text.validate import MAX_CONTROL_SHARE, control_share

_MAGIC = {
    b"%PDF-": "PDF", b"PK\x03\x04": "ZIP/DOCX", b"\x89PNG": "PNG", b"\x1f\x8b": "gzip",
    b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"\x7fELF": "executable", b"MZ\x90\x00": "executable",
    b"\xd0\xcf\x11\xe0": "MS Office", b"\xfd7zXZ\x00": "xz", b"7z\xbc\xaf'\x1c": "7z", b"Rar!": "RAR",
    b"SQLite format 3\x00": "SQLite",
}  # fmt: skip
# UTF-32 LE starts with the UTF-16 LE mark, so test it first.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


class DecodedText(NamedTuple):
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes, declared_encoding: str | None = None, *, name: str = "input") -> DecodedText:
    """Bytes to text: UTF-8 (BOM stripped), else the declared encoding, else a detected one.

    Raises InputError for binary data and for bytes no encoding explains; never anything else.
    """
    _reject_magic(data, name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):  # UTF-16/32 text is full of NUL bytes, so decode before the NUL check
            return _checked(_decode(data, encoding, name), encoding, (f"{name} decoded as {encoding}",), name)
    if b"\x00" in data:
        raise InputError(f"{name} looks like binary data (NUL bytes), not text; pass a text or HTML file")
    try:
        return _checked(data.decode("utf-8-sig"), "utf-8", (), name)
    except UnicodeDecodeError:
        pass
    declared = _declared(data, declared_encoding)
    if declared is not None:
        text, encoding = declared
        return _checked(text, encoding, (f"{name} is not UTF-8; decoded as declared {encoding}",), name)
    if _looks_legacy(data):
        encoding = "cp1252" if _decodes(data, "cp1252") else "latin-1"
        warning = f"{name} is not valid UTF-8; decoded as {encoding}: check accented characters"
        return _checked(data.decode(encoding), encoding, (warning,), name)
    detected = charset_normalizer.from_bytes(data).best()
    if detected is not None:
        warning = f"{name} is not valid UTF-8; detected and decoded as {detected.encoding}: check the text"
        return _checked(str(detected), detected.encoding, (warning,), name)
    raise InputError(f"{name} is not valid UTF-8 and its encoding cannot be told; re-save it as UTF-8")


def _reject_magic(data: bytes, name: str) -> None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name} looks like binary ({kind}) data, not text; pass a text or HTML file")


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{name} has a {encoding} byte-order mark but is not {encoding}") from None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _declared(data: bytes, encoding: str | None) -> tuple[str, str] | None:
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
        return data.decode(name), name
    except (LookupError, UnicodeDecodeError):  # an unknown or wrong declaration is only a hint
        return None


def _looks_legacy(data: bytes) -> bool:
    """Mostly ASCII prose with a few high bytes (accents, curly quotes), as cp1252/latin-1 files are."""
    if not data:
        return False
    high = sum(b >= 0x80 for b in data)
    prose = sum(b == 32 or 65 <= b <= 90 or 97 <= b <= 122 for b in data)
    return high / len(data) < 0.3 and prose / len(data) > 0.6


def _checked(text: str, encoding: str, warnings: tuple[str, ...], name: str) -> DecodedText:
    if control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(f"{name} looks like binary data (control characters); pass a text or HTML file")
    return DecodedText(text, encoding, warnings)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def sniff_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag within its first 4 KB, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None
