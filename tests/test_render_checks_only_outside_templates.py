"""The render child checks a template before opening it (links outside, macros, fetching fields).
selfeval's own templates, and byte-for-byte copies of them, pass that check by construction, so it
is not paid again for each of them; a council's own template is still checked, however it is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bombs import rewrite_zip
from selfeval.errors import InputError
from selfeval.render.docx import render_document
from selfeval.render.properties import Properties
from selfeval.render.template_files import default_templates_dir
from selfeval.safety.zip_safety import check_template


def test_selfevals_own_templates_pass_the_check_the_render_skips_for_them() -> None:
    templates = sorted(default_templates_dir().glob("*.docx"))
    assert templates
    for template in templates:
        check_template(template)  # raises if one ever stops passing


def test_a_councils_changed_template_is_checked_even_under_a_default_name(tmp_path: Path) -> None:
    shipped = default_templates_dir() / "board-summary.docx"
    copy = tmp_path / "same" / shipped.name
    copy.parent.mkdir()
    shutil.copy(shipped, copy)
    changed = rewrite_zip(shipped, tmp_path / "changed" / shipped.name, {"word/vbaProject.bin": b"macro"})
    properties = Properties(title="t", author="a", subject="s", keywords="k", category="c")
    with pytest.raises(InputError, match="macros"):
        render_document(changed, {}, [], properties)
    with pytest.raises(InputError, match="macros"):
        check_template(changed)
    check_template(copy)  # an unchanged copy passes, as its original does
