"""Keep the saved results of a person's formulas when openpyxl rewrites their workbook.

openpyxl reads a formula cell as its formula and writes it back with an empty result, so a tracker
updated by ``plan export`` would reach the next ``generate`` with every formula blank ("a program
that does not calculate"). The cells we rewrite are the person's own and unchanged, so their
cached result in the original file is still right: we copy it back, cell by cell, matched by
sheet name and cell reference, and only where the formula text is the same.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # lxml is imported where it is used: most runs never rewrite a workbook
    from lxml import etree as _etree

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_C, _F, _V = f"{{{_MAIN}}}c", f"{{{_MAIN}}}f", f"{{{_MAIN}}}v"

Cached = dict[str, tuple[str, str | None, str]]  # cell ref -> (formula text, t attribute, cached value)


def _parser() -> _etree.XMLParser:
    from lxml import etree

    # The original file is the user's: no entities, no network, no huge trees.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part name inside the zip (e.g. 'Actions' -> 'xl/worksheets/sheet1.xml')."""
    from lxml import etree

    workbook = etree.fromstring(zf.read("xl/workbook.xml"), _parser())
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), _parser())
    targets = {}
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        part = targets.get(sheet.get(f"{{{_REL}}}id"))
        if part and part in zf.namelist():
            parts[sheet.get("name", "")] = part
    return parts


def _formula_cells(data: bytes) -> Iterator[tuple[str, str, str | None, str]]:
    """(ref, formula, t, cached value) for every formula cell with a saved result, streamed."""
    from lxml import etree

    for _event, el in etree.iterparse(io.BytesIO(data), events=("end",), tag=_C, resolve_entities=False, no_network=True):
        f, v, ref = el.find(_F), el.find(_V), el.get("r")
        if f is not None and v is not None and v.text is not None and ref:
            yield ref, f.text or "", el.get("t"), v.text
        el.clear()


def cached_results(original: bytes) -> dict[str, Cached]:
    """Sheet name -> the saved results of its formula cells, from the workbook as the person saved it."""
    result: dict[str, Cached] = {}
    with zipfile.ZipFile(io.BytesIO(original)) as zf:
        for name, part in sheet_parts(zf).items():
            cells = {ref: (formula, t, value) for ref, formula, t, value in _formula_cells(zf.read(part))}
            if cells:
                result[name] = cells
    return result


def _same_formula(a: str, b: str) -> bool:
    return a.strip().lstrip("=").replace(" ", "") == b.strip().lstrip("=").replace(" ", "")


def restore_cached_results(original: bytes, rewritten: bytes) -> bytes:
    """``rewritten`` (openpyxl's output) with each unchanged formula's saved result copied from ``original``."""
    from lxml import etree

    cached = cached_results(original)
    if not cached:
        return rewritten
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(rewritten)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        parts = {part: cached[name] for name, part in sheet_parts(src).items() if name in cached}
        for info in src.infolist():
            data = src.read(info)
            if info.filename in parts:
                root = etree.fromstring(data, _parser())
                cells = parts[info.filename]
                for c in root.iter(_C):
                    f = c.find(_F)
                    saved = cells.get(c.get("r", ""))
                    if f is None or saved is None or not _same_formula(f.text or "", saved[0]):
                        continue
                    v = c.find(_V)
                    if v is None:
                        v = etree.SubElement(c, _V)
                    if not v.text:
                        v.text = saved[2]
                        if saved[1] in ("str", "b", "e"):
                            c.set("t", saved[1])
                        elif "t" in c.attrib:
                            del c.attrib["t"]
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()
