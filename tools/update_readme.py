"""Regenerate the README's template variable reference from the context models.

    python tools/update_readme.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from selfeval.render.variables import replace_in  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"

if __name__ == "__main__":
    README.write_text(replace_in(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {README}")
