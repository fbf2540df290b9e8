"""What the output folder's manifest records of each draft (so the next run can tell a person's edits
from selfeval's words) is read by the render child from the document in memory. It must be exactly
what reading the saved file gives, or a refresh would report edits nobody made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import INPUTS
from selfeval.pipeline import build_documents
from selfeval.refresh import _record


def test_the_record_made_while_rendering_is_the_record_of_the_saved_file(tmp_path: Path) -> None:
    rendered, _ = build_documents(INPUTS, templates=None, public=False, today=dt.date(2026, 3, 2), scratch=tmp_path)
    for document in rendered:
        assert document.record is not None
        from_file = _record(document.data, document.data, None)
        assert document.record == from_file, document.name
        assert from_file["paragraphs"] and from_file["controls"]
