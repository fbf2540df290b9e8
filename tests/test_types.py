"""Types everywhere, checked: a maintainer adding an input source or a document follows the types from
the inputs to the pack, the contexts and the documents, and mypy (configured in pyproject.toml) keeps
the whole package honest. .ci/run runs mypy too; this test makes a local `pytest` catch a regression."""

from __future__ import annotations

import re

from conftest import REPO

SRC = REPO / "src" / "selfeval"

# The data path: what is read, the pack analysis builds, the contexts the documents are filled from,
# and the rendering and writing of the documents. ``Any`` here would leave the next input source or
# document with nothing to follow.
DATA_PATH = [
    "load/inputs.py",
    "models/*.py",
    "analyse/pack.py",
    "render/context_models.py",
    "render/registry.py",
    "render/documents/*.py",
    "render/docx.py",
    "pipeline.py",
]


def test_the_data_path_has_no_any() -> None:
    found = []
    for pattern in DATA_PATH:
        files = sorted(SRC.glob(pattern))
        assert files, pattern
        for path in files:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\bAny\b", line.split("#")[0]):
                    found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
