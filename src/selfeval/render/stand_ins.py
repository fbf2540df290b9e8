"""Chart pictures that may still be being drawn while their document is filled in.

The self-evaluation need not wait for any picture while it is filled in and finished: each chart
goes in as a stand-in, a PNG header of the picture's own size and resolution under the picture's
own file name (so the XML docxtpl and python-docx write for it is what the real picture gives),
and the real picture's bytes take the stand-in's place just before the document is saved, once it
is drawn (another process may be drawing it: see ``chart_pool``). The saved document is the one
the drawn pictures would have given from the start.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from selfeval.render.context_models import ChartCtx


@dataclass(frozen=True)
class _Pending:
    """A stand-in put in a document, waiting for its picture."""

    stand_in: bytes
    picture: Path
    pixels: tuple[int, int]


class StandIns:
    """The stand-ins of one document's charts, in a folder of their own until the document is saved."""

    def __init__(self, dpi: int) -> None:
        self._dpi = dpi
        self._folder: Path | None = None
        self._pending: list[_Pending] = []

    def source(self, chart: ChartCtx) -> str:
        """The file the document takes ``chart``'s picture from while it is filled in."""
        picture = Path(chart.png)
        if self._folder is None:
            # Beside the pictures, in the run's scratch folder, which the run removes however it ends
            # (this process may be killed before close: another document failed, or the clock ran out).
            self._folder = picture.parent / f"stand-ins-{os.getpid()}"
            self._folder.mkdir(exist_ok=True)
        path = self._folder / picture.name  # the name python-docx writes into the picture's XML
        blob = stand_in_png(chart.pixels, self._dpi, picture.name)
        path.write_bytes(blob)
        self._pending.append(_Pending(blob, picture, chart.pixels))
        return str(path)

    def put_in(self, document: WordDocument, drawn: Callable[[Path], None]) -> None:
        """Each real picture in its stand-in's place (``drawn`` returns once a picture is drawn)."""
        from docx.image.image import Image

        parts = {part.blob: part for part in document.part.package.image_parts}
        for pending in self._pending:
            part = parts.get(pending.stand_in)
            if part is None:
                continue  # a customised template that does not show this chart
            drawn(pending.picture)
            blob = pending.picture.read_bytes()
            image = Image.from_blob(blob)
            if (image.px_width, image.px_height, image.horz_dpi, image.vert_dpi) != (*pending.pixels, self._dpi, self._dpi):
                raise RuntimeError(f"the chart picture {pending.picture.name} is not the size its stand-in had")
            part._blob = blob  # python-docx saves a part's _blob (ImagePart keeps no other copy of it)
            part._image = image  # its lazily parsed header, should anything read it

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def stand_in_png(pixels: tuple[int, int], dpi: int, name: str) -> bytes:
    """A PNG's header chunks alone: its size, its resolution (as Pillow writes it) and ``name`` (so
    no two stand-ins are the same bytes: python-docx would share one part between them)."""
    width, height = pixels
    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"tEXt", b"selfeval stand-in\x00" + name.encode("utf-8")),
            _chunk(b"IEND", b""),
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
