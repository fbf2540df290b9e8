"""Read an earlier output that a person edited: what they wrote in its content controls, and the
fingerprint of every other paragraph (to tell them which generated text they changed).

The file is the person's: it is only read, never changed. It is checked like any Word file we
open (size, zip bomb), and parsed without resolving entities or fetching anything.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from selfeval.content_controls import Control, controls_in, w
from selfeval.document_paragraphs import ParagraphPrint, paragraph_prints
from selfeval.errors import InputError, Location
from selfeval.safety.xlsx_safety import check_ooxml

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
KIND = "Word document (.docx)"


@dataclass(frozen=True)
class PreviousDocument:
    path: Path
    controls: list[Control] = field(default_factory=list)
    paragraphs: list[ParagraphPrint] = field(default_factory=list)


def read_previous(path: Path) -> PreviousDocument:
    """What a person's copy of an output holds. Raises InputError (located at the file) when it is
    not a readable Word document (damaged, password-protected, saved in another format)."""
    check_ooxml(path, kind=KIND, required_member="word/document.xml")
    try:
        with zipfile.ZipFile(path) as z:
            document = etree.fromstring(z.read("word/document.xml"), _PARSER)
            names = set(z.namelist())
            comments = etree.fromstring(z.read("word/comments.xml"), _PARSER) if "word/comments.xml" in names else None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError) as e:
        raise InputError(f"this Word document cannot be read ({type(e).__name__})", Location(path)) from None
    body = document.find(w("body"))
    if body is None:
        raise InputError("this Word document has no body", Location(path))
    own = _own_comment_ids(comments)
    return PreviousDocument(path=path, controls=controls_in(body, own_comment_ids=own), paragraphs=paragraph_prints(body))


def _own_comment_ids(comments: etree._Element | None) -> set[str]:
    """The guidance comments selfeval wrote (author 'selfeval'): not a person's, so not reported."""
    if comments is None:
        return set()
    return {c.get(w("id")) or "" for c in comments.iter(w("comment")) if c.get(w("author")) == "selfeval"}
