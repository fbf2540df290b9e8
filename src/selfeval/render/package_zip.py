"""Save a rendered Word document as a .docx (a zip), without compressing again what did not change.

python-docx deflates every part of the package on every save. Most of a selfeval document's bytes
are parts rendering never touches: its styles (``styles.xml`` and Word 2010's
``stylesWithEffects.xml``, about 800 KB of XML together, 5 ms to deflate on each save) and its
theme. Here the package's members are gathered in python-docx's own order with python-docx's own
serialisation, and each member whose bytes are exactly the template's own is copied into the zip
as the template stores it (already deflated, with its checksum); pictures, which are compressed
already, are stored; the rest is deflated as python-docx does (level 6). Whoever opens the file
reads the same parts, byte for byte, as from python-docx's own save.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.opc.packuri import PackURI
    from docx.opc.phys_pkg import PhysPkgWriter

_STORED_EXTENSIONS = ("png", "jpeg", "jpg", "gif")  # compressed already: deflating again gains nothing
_LEVEL = 6  # zlib's default, as python-docx's ZipFile uses
_MAX_SIZE = 0x7FFF_FFFF  # far above any document; past it, the plain zip writer (ZIP64) takes over


@dataclass(frozen=True)
class _Kept:
    """A template member as its zip stores it."""

    data: bytes  # uncompressed, to compare with what the render left
    raw: bytes  # as stored in the zip
    method: int
    crc: int


_kept: dict[str, dict[str, _Kept]] = {}  # template content key -> member name -> its stored form


def remember(template: Path) -> dict[str, _Kept]:
    """``template``'s members as stored, read once per process (a forked render inherits them)."""
    from selfeval.render.template_files import content_key

    key = content_key(template)
    if key not in _kept:
        _kept[key] = _read_members(template)
    return _kept[key]


def saved(document: WordDocument, template: Path) -> bytes:
    """The .docx bytes of ``document``, rendered from ``template``."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()  # as python-docx's save does first
    members = _Members()
    writer = cast("PhysPkgWriter", members)  # python-docx calls only its write()
    try:
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, package.parts)
    except AttributeError:  # a python-docx whose writer is laid out otherwise: its own save
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    return _zip(members.written, remember(template))


class _Members:
    """Stands in for python-docx's zip writer: keeps each member it is given, in order."""

    def __init__(self) -> None:
        self.written: list[tuple[str, bytes]] = []

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.written.append((pack_uri.membername, blob))


def _read_members(template: Path) -> dict[str, _Kept]:
    kept: dict[str, _Kept] = {}
    with open(template, "rb") as f, zipfile.ZipFile(f) as z:
        for info in z.infolist():
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                continue  # encrypted, or a method this writer does not copy: deflated afresh
            f.seek(info.header_offset)
            header = f.read(30)
            if header[:4] != b"PK\x03\x04":
                continue
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            f.seek(info.header_offset + 30 + name_length + extra_length)
            raw = f.read(info.compress_size)
            kept[info.filename] = _Kept(z.read(info), raw, info.compress_type, info.CRC)
    return kept


def _zip(members: list[tuple[str, bytes]], kept: dict[str, _Kept]) -> bytes:
    out = io.BytesIO()
    central: list[bytes] = []
    dos_time, dos_date = _dos_now()
    for name, data in members:
        if len(data) > _MAX_SIZE:
            return _plain_zip(members)
        same = kept.get(name)
        if same is not None and same.data == data:
            raw, method, crc = same.raw, same.method, same.crc
        elif name.rsplit(".", 1)[-1].lower() in _STORED_EXTENSIONS:
            raw, method, crc = data, zipfile.ZIP_STORED, zlib.crc32(data)
        else:
            deflate = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
            raw, method, crc = deflate.compress(data) + deflate.flush(), zipfile.ZIP_DEFLATED, zlib.crc32(data)
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # the name is UTF-8
        offset = out.tell()
        fields = (20, flags, method, dos_time, dos_date, crc, len(raw), len(data), len(encoded))
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + encoded)
        out.write(raw)
        made_by = (3 << 8) | 20  # Unix (for the permissions below), zip 2.0
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", made_by, *fields, 0, 0, 0, 0, 0o600 << 16, offset) + encoded)
    directory = out.tell()
    out.write(b"".join(central))
    size = out.tell() - directory
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), size, directory, 0))
    return out.getvalue()


def _plain_zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buffer.getvalue()


def _dos_now() -> tuple[int, int]:
    """Now, as a zip entry's DOS time and date (what ZipFile.writestr stamps)."""
    t = time.localtime()
    return (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2), ((t.tm_year - 1980) << 9) | (t.tm_mon << 4) | t.tm_mday
