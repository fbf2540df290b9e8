"""Check a council's Word template against the template contract, without rendering it.

``lint_template`` reports, each as an InputError located at the template:

* **syntax errors**, with the text of the paragraph where Jinja gave up (docxtpl only attaches that
  context when rendering, so we parse each part ourselves the way docxtpl does);
* **variables the context does not provide**: top-level names against the fields of the document's
  context model (``render/context_models.py``), and attribute paths such as ``{{ area.titel }}``
  followed through the model's field types, including loop variables (``{%tr for k in kpis %}``);
* **rich text without the r tag**: a field typed as docxtpl ``RichText`` written ``{{ x }}`` puts a
  run inside the text of a run, which the Open XML schema forbids (Word reports unreadable content,
  other readers drop it); it must be ``{{r x }}``. ``{{r x }}`` on plain text is reported too.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel
    from docxtpl import DocxTemplate
    from pydantic.fields import FieldInfo

from selfeval.errors import InputError, Location

# A docxtpl tag as it reads in a paragraph: {{ x }}, {{r x }}, {%p for a in b %}, {% cellbg x %}.
_TAG = re.compile(r"\{\{(?P<rich>r(?=\s))?-?(?P<expr>.*?)-?\}\}|\{%-?(?:(?P<kind>tr|tc|p|r)(?=\s))?\s*(?P<stmt>.*?)-?%\}", re.S)
_FOR = re.compile(r"^for\s+(?P<vars>[\w\s,()]+?)\s+in\s+(?P<iter>.+?)(?:\s+if\s+.+)?(?:\s+recursive)?$", re.S)
_UNKNOWN = object()  # a type we cannot follow (Any, a dict, a docxtpl object): stop checking there


@dataclass
class _Scope:
    fields: dict[str, FieldInfo] | None  # the context's top-level fields, None = unknown
    frames: list[dict[str, Any]] = field(default_factory=list)

    def lookup(self, name: str) -> Any:
        for frame in reversed(self.frames):
            if name in frame:
                return frame[name]
        if name == "loop":
            return _UNKNOWN
        if self.fields is None:
            return _UNKNOWN
        return self.fields[name].annotation if name in self.fields else None


def lint_template(path: Path, model: type[BaseModel] | dict[str, FieldInfo] | None, *, trial: bool = False) -> list[InputError]:
    """Every problem in the template at ``path``, or []. ``model`` is the document's context model (a
    pydantic class), or a dict of field name -> FieldInfo (e.g. the union of all of them), or None.
    With ``trial`` the template is also run without data (``trial_render``), as 'templates check' does."""
    fields = model if isinstance(model, dict) or model is None else dict(model.model_fields)
    from selfeval.safety.zip_safety import check_template

    try:
        check_template(path)
    except InputError as e:
        return [e]
    try:
        from docxtpl import DocxTemplate

        tpl = DocxTemplate(path)
        tpl.init_docx()
    except Exception as e:  # python-docx raises several types for a file that is not a .docx
        return [InputError(f"this is not a Word .docx template ({type(e).__name__}: {e})", Location(path))]

    problems = syntax_errors(tpl, path)
    if problems:
        return problems  # the rest needs a template that parses
    problems += _undeclared(tpl, path, fields)
    for stream in _paragraph_streams(tpl):
        problems += _check_tags(stream, path, fields)
    if trial and not problems:
        problems += trial_render(tpl, path)
    return _dedupe(problems)


# -- a run without data --------------------------------------------------------------------------

TRIAL_MEMORY = 512 * 1024 * 1024  # beyond what the process already uses
TRIAL_SECONDS = 20.0


def trial_render(tpl: DocxTemplate, path: Path) -> list[InputError]:
    """Run each part of the template with every variable standing for anything, in the bounded
    sandbox and in a child process under a memory and time limit: what its constant parts would
    do to any data ('x'.center(2e9), range(99999) inside range(99999), '~' doubling) is reported
    with the paragraph, in the words 'generate' uses. Errors that need real data are not reported."""
    from selfeval.safety.child import TooLarge, run_bounded

    try:
        found: list[str] = run_bounded(_trial_messages, _parts_xml(tpl), memory=TRIAL_MEMORY, seconds=TRIAL_SECONDS)
    except TooLarge:
        found = [
            f"the template needs more memory or time than any real document (over {TRIAL_SECONDS:.0f} seconds or "
            f"{TRIAL_MEMORY // 2**20:,} MB without any data): check its loops and repeated text"
        ]
    return [InputError(message, Location(path)) for message in found]


def _trial_messages(parts: list[tuple[str, str]]) -> list[str]:
    from selfeval.render.templates import paragraph_place, stopped_message, trial_env

    messages = []
    for label, xml in parts:
        try:
            template = trial_env().from_string(xml)
            template.render()
        except Exception as e:  # only a bound or the sandbox is reported; the rest needs real data
            message = stopped_message(e)
            if message is None:
                continue
            place = paragraph_place(xml, getattr(e, "selfeval_line", None))
            where = (f"{place}: " if label == "the document body" else f"{place} of {label}: ") if place else ""
            messages.append(where + message)
    return messages


def _dedupe(problems: list[InputError]) -> list[InputError]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


# -- syntax --------------------------------------------------------------------------------------

def _parts_xml(tpl: Any) -> list[tuple[str, str]]:
    """(part name, patched XML with one paragraph per line) for the body, headers and footers."""
    from docx.oxml import parse_xml

    parts = [("the document body", tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body)))]
    for uri, label in ((tpl.HEADER_URI, "a header"), (tpl.FOOTER_URI, "a footer")):
        for rel in tpl.docx._part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                parts.append((label, tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))))
    return [(label, re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)) for label, xml in parts]


def syntax_errors(tpl: Any, path: Path) -> list[InputError]:
    from jinja2 import TemplateSyntaxError

    from selfeval.render.templates import jinja_env

    problems = []
    for label, xml in _parts_xml(tpl):
        try:
            jinja_env().parse(xml)
        except TemplateSyntaxError as e:
            problems.append(InputError(f"template syntax error in {label}: {e.message}{_near(xml, e.lineno)}", Location(path)))
    return problems


def paragraph_near(xml: str, lineno: int | None) -> str:
    """The text of the paragraph on ``lineno`` of a patched part (and the one before, if that is empty)."""
    if not lineno:
        return ""
    lines = xml.splitlines()
    texts = [re.sub(r"<[^>]+>", "", line).strip() for line in lines[max(lineno - 3, 0) : lineno]]
    texts = [t for t in texts if t]
    return texts[-1] if texts else ""


def _near(xml: str, lineno: int | None) -> str:
    text = paragraph_near(xml, lineno)
    if len(text) > 200:
        text = text[:197] + "..."
    return f' (in the paragraph "{text}")' if text else ""


# -- variables -----------------------------------------------------------------------------------

def _undeclared(tpl: Any, path: Path, fields: dict[str, FieldInfo] | None) -> list[InputError]:
    from selfeval.render.templates import jinja_env

    if fields is None:
        return []
    used = tpl.get_undeclared_template_variables(jinja_env())
    known = set(fields)
    problems = []
    for name in sorted(used - known):
        problems.append(InputError(f"{{{{ {name} }}}}: selfeval does not provide '{name}'{_suggest(name, known)}", Location(path)))
    return problems


def _suggest(name: str, known: set[str] | list[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return "; run 'selfeval templates variables' for the list" if len(known) > 12 else f" (available: {', '.join(sorted(known))})"


def _paragraph_streams(tpl: Any) -> list[list[str]]:
    """Paragraph texts in document order: the body, then each header and footer on its own."""
    from docx.oxml.ns import qn

    roots = [tpl.docx.element.body]
    for section in tpl.docx.sections:
        for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                   section.even_page_header, section.even_page_footer):
            if not hf.is_linked_to_previous:
                roots.append(hf._element)
    return [["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in root.iter(qn("w:p"))] for root in roots]


def _check_tags(paragraphs: list[str], path: Path, fields: dict[str, FieldInfo] | None) -> list[InputError]:
    scope = _Scope(fields)
    problems: list[InputError] = []
    for text in paragraphs:
        for m in _TAG.finditer(text):
            tag = m.group(0)
            if m.group("expr") is not None:
                problems += _check_output(tag, m.group("expr").strip(), bool(m.group("rich")), scope, path)
                continue
            stmt = (m.group("stmt") or "").strip()
            keyword = stmt.split(None, 1)[0] if stmt else ""
            if keyword == "for":
                scope.frames.append(_bind_loop(stmt, scope, tag, path, problems))
            elif keyword == "endfor" and scope.frames:
                scope.frames.pop()
            elif keyword in ("if", "elif", "cellbg", "set") and " " in stmt:
                expr = stmt.split(None, 1)[1]
                if keyword == "set":
                    expr = expr.split("=", 1)[-1]
                problems += _check_paths(tag, expr, scope, path)
    return problems


def _bind_loop(stmt: str, scope: _Scope, tag: str, path: Path, problems: list[InputError]) -> dict[str, Any]:
    m = _FOR.match(stmt)
    if not m:
        return {}
    names = [n.strip("() ") for n in m.group("vars").split(",") if n.strip("() ")]
    problems += _check_paths(tag, m.group("iter"), scope, path)
    element = _UNKNOWN
    if len(names) == 1:
        iterable = _resolve(m.group("iter"), scope)
        element = _element_type(iterable) if iterable not in (None, _UNKNOWN) else _UNKNOWN
    return {name: element for name in names}


def _check_output(tag: str, expr: str, rich: bool, scope: _Scope, path: Path) -> list[InputError]:
    problems = _check_paths(tag, expr, scope, path)
    if problems:
        return problems
    base = _base_expression(expr)
    if base is None:
        return []
    annotation = _resolve_node(base, scope)
    if annotation in (None, _UNKNOWN):
        return []
    if not rich and _is_rich(annotation):
        return [InputError(
            f"{tag}: '{_source(base)}' is formatted (rich) text: written like this it makes an invalid document; "
            f"write {{{{r {expr} }}}} instead (with an r after the braces, alone in its run)", Location(path))]
    if rich and not _is_rich(annotation) and _is_text(annotation):
        return [InputError(
            f"{tag}: '{_source(base)}' is plain text; write {{{{ {expr} }}}} (the {{{{r}}}} tag is only for rich text)", Location(path))]
    return []


def _check_paths(tag: str, expr: str, scope: _Scope, path: Path) -> list[InputError]:
    """Report attribute paths (a.b.c) that do not exist on the context models."""
    from jinja2 import nodes

    tree = _parse_expression(expr)
    if tree is None:
        return []
    problems = []
    attrs = ([tree] if isinstance(tree, nodes.Getattr) else []) + list(tree.find_all(nodes.Getattr))
    for node in attrs:
        owner = _resolve_node(node.node, scope)
        if owner in (None, _UNKNOWN):
            continue
        fields = _model_fields(owner)
        if fields is not None and node.attr not in fields:
            problems.append(InputError(
                f"{tag}: '{_source(node.node)}' has no '{node.attr}'{_suggest(node.attr, list(fields))}", Location(path)))
    return problems


# -- resolving expressions to model field types ----------------------------------------------------

def _parse_expression(expr: str) -> Any:
    from jinja2 import TemplateSyntaxError, nodes

    from selfeval.render.templates import jinja_env

    try:
        tree = jinja_env().parse("{{ " + expr + " }}")
    except TemplateSyntaxError:
        return None
    outputs = list(tree.find_all(nodes.Output))
    if not outputs or not outputs[0].nodes:
        return None
    return outputs[0].nodes[0]


def _base_expression(expr: str) -> Any:
    """The variable an output shows, looking through filters: ``x.y|upper`` -> ``x.y``."""
    from jinja2 import nodes

    node = _parse_expression(expr)
    while isinstance(node, nodes.Filter):
        node = node.node
    return node if isinstance(node, (nodes.Name, nodes.Getattr)) else None


def _resolve(expr: str, scope: _Scope) -> Any:
    node = _parse_expression(expr)
    return _resolve_node(node, scope) if node is not None else _UNKNOWN


def _resolve_node(node: Any, scope: _Scope) -> Any:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return scope.lookup(node.name)
    if isinstance(node, nodes.Getattr):
        owner = _resolve_node(node.node, scope)
        if owner in (None, _UNKNOWN):
            return _UNKNOWN
        fields = _model_fields(owner)
        if fields is None or node.attr not in fields:
            return _UNKNOWN
        return fields[node.attr].annotation
    return _UNKNOWN


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _model_fields(annotation: Any) -> dict[str, FieldInfo] | None:
    annotation = _strip_optional(annotation)
    fields = getattr(annotation, "model_fields", None)
    return fields if isinstance(annotation, type) and isinstance(fields, dict) else None


def _element_type(annotation: Any) -> Any:
    annotation = _strip_optional(annotation)
    if typing.get_origin(annotation) in (list, tuple, set, typing.Sequence) and typing.get_args(annotation):
        return typing.get_args(annotation)[0]
    return _UNKNOWN


def _is_rich(annotation: Any) -> bool:
    from docxtpl import RichText

    annotation = _strip_optional(annotation)
    return isinstance(annotation, type) and issubclass(annotation, RichText)


def _is_text(annotation: Any) -> bool:
    return _strip_optional(annotation) in (str, int, float)


def _source(node: Any) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_source(node.node)}.{node.attr}"
    return "?"
