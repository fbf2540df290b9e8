"""Generate the example's documents at two revisions and compare each ``word/document.xml`` byte for byte.

A redesign must not change what users get. This checks it: the embedded example (``inputs/``) is
generated at REV (a git revision) and at OTHER (another revision, or the working tree when omitted),
with the generation date fixed, and every document's body XML is compared.

    python tools/compare_documents.py 8852ab0            # that commit vs the working tree
    python tools/compare_documents.py main HEAD          # two commits

Each side runs in its own Python process with that side's ``src`` first on ``sys.path``, so the code
compared is exactly the revision's. Exit status: 0 when every document is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXED_DATE = "2026-03-02"

# Runs inside the child process. Every selfeval module is imported first, then each module's own
# reference to ``date``/``datetime`` is swapped for one whose ``today()`` is fixed: older revisions
# call ``date.today()`` in several places, and patching the datetime module itself would break
# isinstance checks on real dates everywhere else.
DRIVER = r'''
import datetime as _real_dt, importlib, pkgutil, sys, types
from pathlib import Path

FIXED = _real_dt.date.fromisoformat(sys.argv[1])
root, out = Path(sys.argv[2]), Path(sys.argv[3])

import selfeval
assert Path(selfeval.__file__).resolve().is_relative_to(root.resolve()), selfeval.__file__
for info in pkgutil.walk_packages(selfeval.__path__, "selfeval."):
    if not info.name.endswith("__main__"):  # importing it would run the CLI
        importlib.import_module(info.name)


class _FixedDateMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _real_dt.date)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _real_dt.date)

    def __getattr__(cls, name):
        return getattr(_real_dt.date, name)

    def __call__(cls, *args, **kwargs):
        return _real_dt.date(*args, **kwargs)


class FixedDate(metaclass=_FixedDateMeta):
    @staticmethod
    def today():
        return FIXED


fixed_module = types.ModuleType("datetime")
fixed_module.__dict__.update(_real_dt.__dict__)
fixed_module.date = FixedDate
for name, module in list(sys.modules.items()):
    if not (name == "selfeval" or name.startswith("selfeval.")):
        continue
    for attr, value in list(vars(module).items()):
        if value is _real_dt:
            setattr(module, attr, fixed_module)
        elif value is _real_dt.date:
            setattr(module, attr, FixedDate)

from selfeval.commands import generate as command
generate = getattr(command, "generate", None) or command.run
generate(inputs=root / "inputs", out=out, today=FIXED)
'''


def materialise(revision: str, into: Path) -> Path:
    """The tree at ``revision`` extracted into ``into`` (``git archive``: no worktree to clean up)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def generate(root: Path, out: Path) -> dict[str, bytes]:
    env = {"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin", "HOME": str(out)}
    done = subprocess.run([sys.executable, "-c", DRIVER, FIXED_DATE, str(root), str(out)], cwd=root, env=env)
    if done.returncode != 0:
        raise SystemExit(f"generating the example from {root} failed (exit {done.returncode}); see above")
    bodies = {}
    for docx in sorted(out.glob("*.docx")):
        with zipfile.ZipFile(docx) as z:
            bodies[docx.name] = z.read("word/document.xml")
    return bodies


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"first difference at byte {at}:\n    {a[max(0, at - 80):at + 80]!r}\n    {b[max(0, at - 80):at + 80]!r}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="git revision to compare against")
    parser.add_argument("other", nargs="?", help="second revision (default: the working tree)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="selfeval-compare-") as tmp:
        base = Path(tmp)
        left_root = materialise(args.revision, base / "left")
        right_root = materialise(args.other, base / "right") if args.other else ROOT
        (base / "out-left").mkdir()
        (base / "out-right").mkdir()
        left = generate(left_root, base / "out-left")
        right = generate(right_root, base / "out-right")
    names = sorted(set(left) | set(right))
    if not names:
        print("no documents were generated")
        return 1
    same = True
    label = args.other or "working tree"
    for name in names:
        if name not in left or name not in right:
            print(f"{name}: only at {args.revision if name in left else label}")
            same = False
        elif left[name] == right[name]:
            print(f"{name}: identical ({len(left[name]):,} bytes of word/document.xml)")
        else:
            print(f"{name}: DIFFERENT; {first_difference(left[name], right[name])}")
            same = False
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
