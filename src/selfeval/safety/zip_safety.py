"""Checks before opening a Word template: the workbook's size and zip-bomb guard, then its content.

A template comes from anyone (another council, an email attachment), and what it carries goes into
every document made from it. Opening such a document can contact an outside host: a linked image
(``file:///...``, ``http://...``), an INCLUDEPICTURE or INCLUDETEXT field (selfeval asks Word to
update fields on opening), or an ``attachedTemplate`` on a remote share, which makes Windows send
the user's credentials. Macros run code. So a template is refused, naming the part, when it has:

* a macro project (``vbaProject.bin``) or is a macro-enabled document (.docm, .dotm);
* any relationship to an external target other than an ordinary ``http(s)``/``mailto`` hyperlink
  (an external image, frame, OLE object, subdocument, attached template...);
* a field that fetches content (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE, DDEAUTO, IMPORT).

The ordinary links the author typed are kept (they open only when someone clicks them), and
``web_links`` lists them so that ``templates check`` shows every outside address a document will carry.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from selfeval.errors import InputError, Location
from selfeval.safety.xlsx_safety import MAX_XML_PART, check_ooxml

# check_ooxml writes "not an {kind}", so the wording starts with a vowel sound.
TEMPLATE_KIND = "Office Word template (.docx)"

_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_REL = re.compile(rb"<Relationship\b[^>]*>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_FETCHING_FIELD = re.compile(rb"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b")
_MACRO_TYPES = (b"macroEnabled", b"vbaProject")


def check_template(path: Path) -> None:
    check_ooxml(path, kind=TEMPLATE_KIND, required_member="word/document.xml")
    where = Location(path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        macro = next((n for n in names if n.lower().endswith("vbaproject.bin")), None)
        if macro or any(t in types for t in _MACRO_TYPES):
            raise InputError(
                f"the template holds macros{f' ({macro})' if macro else ''}, which selfeval refuses: "
                "a macro would run on every computer that opens the documents. Save it in Word as "
                "'Word Document (*.docx)' and use that",
                where,
            )
        for name in names:
            if name.endswith(".rels"):
                _check_relationships(name, zf.read(name), where)
            elif name.startswith("word/") and name.endswith(".xml"):
                with zf.open(name) as f:
                    data = f.read(MAX_XML_PART + 1)
                m = _FETCHING_FIELD.search(data) if b"instrText" in data or b"fldSimple" in data else None
                if m and _in_field_code(data, m.start()):
                    raise InputError(
                        f"the template's part {name} has a {m.group(1).decode()} field, which fetches content from "
                        "another file or website whenever the document is opened; remove the field (insert the "
                        "picture or text itself instead)",
                        where,
                    )


def _in_field_code(data: bytes, at: int) -> bool:
    """True when position ``at`` is inside a field instruction (w:instrText or w:fldSimple's w:instr)."""
    start = max(data.rfind(b"<w:instrText", 0, at), data.rfind(b"<w:fldSimple", 0, at))
    if start < 0:
        return False
    end = data.find(b">", start)
    close = data.find(b"</w:instrText>", start)
    return (data[start:start + 12] == b"<w:fldSimple" and end > at) or (close > at)


def _check_relationships(part: str, data: bytes, where: Location) -> None:
    for m in _REL.finditer(data):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(m.group(0))}
        if attrs.get("TargetMode", "").lower() != "external":
            continue
        target = attrs.get("Target", "")
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        if attrs.get("Type") == _HYPERLINK and re.match(r"(?i)^(https?:|mailto:)", target):
            continue  # an ordinary link the author typed: it only opens when someone clicks it
        shown = target if len(target) <= 80 else target[:77] + "..."
        raise InputError(
            f"the template's part {part} links to an outside file or address ({kind}: {shown}); opening a document "
            "made from it could contact that host. Embed the picture or template instead of linking it, and "
            "save the template again",
            where,
        )


def web_links(path: Path) -> list[tuple[str, str]]:
    """(part, address) of each ordinary web or e-mail link in a template that ``check_template``
    accepts: the only outside addresses the documents made from it carry."""
    links: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith(".rels"):
                continue
            for m in _REL.finditer(zf.read(name)):
                attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(m.group(0))}
                if attrs.get("TargetMode", "").lower() == "external" and attrs.get("Type") == _HYPERLINK:
                    links.append((_source_part(name), attrs.get("Target", "")))
    return links


def _source_part(rels: str) -> str:
    """'word/_rels/document.xml.rels' -> 'word/document.xml' (the part whose links these are)."""
    folder, _, name = rels.rpartition("_rels/")
    return folder + name[: -len(".rels")] if name.endswith(".rels") else rels
