"""Where a document's template is, and whether it is one of selfeval's own (or an unchanged copy).

Kept apart from the template cache and Jinja: the process that loads and analyses needs these
answers before it forks the render children, and should not import Word's libraries to get them.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from selfeval.errors import InputError, Location

_shipped: dict[tuple[str, int, int], str] = {}  # (path, mtime, size) of a shipped template -> its content key


def default_templates_dir() -> Path:
    """The templates shipped with selfeval: inside the wheel, or ``templates/docx`` in a source checkout."""
    packaged = Path(str(resources.files("selfeval"))) / "templates" / "docx"
    if packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[3] / "templates" / "docx"
    return source_tree


def template_path(name: str, custom_dir: Path | None) -> Path:
    """The council's own template ``name`` if ``custom_dir`` holds it, else selfeval's default."""
    if custom_dir is not None:
        if not custom_dir.is_dir():
            raise InputError("templates folder not found (create one with 'selfeval templates export DIR')", Location(custom_dir))
        candidate = custom_dir / name
        if candidate.is_file():
            return candidate
    path = default_templates_dir() / name
    if not path.is_file():
        raise InputError("selfeval's default template is missing; reinstall selfeval", Location(path))
    return path


def content_key(path: Path) -> str:
    """The template's content: a council folder's unchanged copy of a default template (what
    'selfeval init' puts in templates/) shares the default's cache entry."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_shipped(path: Path, shipped_dir: Path) -> bool:
    """``path`` is one of selfeval's own templates, or a byte-for-byte copy of the one of that name."""
    try:
        if path.resolve().parent == shipped_dir.resolve():
            return True
        shipped = shipped_dir / path.name
        return shipped.is_file() and path.stat().st_size == shipped.stat().st_size and content_key(path) == _shipped_key(shipped)
    except OSError:
        return False


def _shipped_key(path: Path) -> str:
    stat = path.stat()
    marker = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    hit = _shipped.get(marker)
    if hit is None:
        hit = _shipped[marker] = content_key(path)
    return hit


def forget() -> None:
    _shipped.clear()
