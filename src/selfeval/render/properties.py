"""A document's file properties (File > Info in Word): set after rendering, see ``render.docx``.

Its own module, free of Word's libraries, so the process that builds contexts need not import them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Properties:
    """The Word document's core properties, set after rendering (see render.docx)."""

    title: str
    author: str
    subject: str
    keywords: str = ""
    category: str = "Draft"
