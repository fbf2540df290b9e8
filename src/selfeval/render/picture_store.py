"""Chart pictures kept between runs, so that a pack whose figures have not changed is not drawn again.

A council regenerates its pack many times between two quarters' data (after editing the findings, a
template, the plan): its charts depend only on the figures, so they come out the same every time.
Drawing the 8 pictures of the example is about 70 ms of CPU, as much as filling in the improvement
plan. Each picture drawn is kept in the user's cache folder (see ``selfeval.cache_folder``: the
user's own, never stopping a run), named by a digest of what it is drawn from and of the code and
font that draw it; a later run with the same figures copies it instead.

What is kept is the aggregate figures' picture, as the documents show it, never a name or a case.
An entry that is not a whole PNG of the picture's own size is not used: the picture is drawn.
"""

from __future__ import annotations

import hashlib
import struct
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from selfeval import cache_folder

if TYPE_CHECKING:
    from selfeval.render.charts import Drawing

_KIND = "pictures"  # the cache folder's sub-folder
_SUFFIX = ".png"
# About 15 KB a picture: a council's pack has up to ~10, so this keeps a regional batch's pictures.
_MAX_ENTRIES = 1000
_PNG_START = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
_PNG_END = b"IEND\xaeB`\x82"


def take(drawing: Drawing) -> bool:
    """Copy the picture kept for ``drawing`` to its file; False if there is none (or it is unusable)."""
    data = cache_folder.read(_KIND, _name(drawing))
    if data is None or not _whole(data, drawing.pixels()):
        return False
    try:
        Path(drawing.path).write_bytes(data)
    except OSError:
        return False
    return True


def keep(drawing: Drawing) -> None:
    """Keep the picture just drawn for ``drawing``, for the next run (quietly not, if it cannot)."""
    try:
        data = Path(drawing.path).read_bytes()
    except OSError:
        return
    if _whole(data, drawing.pixels()):
        cache_folder.write(_KIND, _name(drawing), data, keep=_MAX_ENTRIES)


def _whole(data: bytes, pixels: tuple[int, int]) -> bool:
    """A complete PNG (its header first, its end chunk last) of ``pixels``' width and height."""
    if not data.startswith(_PNG_START) or not data.endswith(_PNG_END):
        return False
    return struct.unpack(">II", data[16:24]) == pixels


def _name(drawing: Drawing) -> str:
    # What the picture is drawn from: the figures, labels and colours, never the file it goes to.
    digest = hashlib.sha256(_salt())
    digest.update(repr((drawing.line, drawing.grades)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40] + _SUFFIX


@cache
def _salt() -> bytes:
    """What a picture depends on besides its figures: Pillow, the drawing code, and the font file."""
    import PIL

    from selfeval.render import charts

    parts = [str(PIL.__version__).encode(), cache_folder.module_source(charts.__file__)]
    for font in charts.font_files()[:1]:  # the one the charts are drawn with
        try:
            info = font.stat()
        except OSError:
            continue
        parts.append(f"{font}|{info.st_size}|{info.st_mtime_ns}".encode())
    return hashlib.sha256(b"\0".join(parts)).digest()
