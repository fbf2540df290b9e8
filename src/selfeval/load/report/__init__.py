"""Import a published Ofsted ILACS report or visit letter (PDF, .docx, .txt, .md) into findings.

``read_report`` gets the text (``text``), ``clean`` strips running headers, footers, footnotes and
boilerplate, ``parse`` finds the parts of the report, and ``extraction`` holds the result and turns
it into a ``Findings`` or the ``.expected.json`` shape used by the tests.
"""

from __future__ import annotations

from pathlib import Path

from selfeval.load.report.extraction import Extraction


def import_report(path: Path) -> Extraction:
    from selfeval.load.report.clean import clean
    from selfeval.load.report.parse import parse
    from selfeval.load.report.text import read_report

    source = read_report(path)
    return parse(clean(source), source)


__all__ = ["Extraction", "import_report"]
