"""Read a YAML file so that any error can point at its line and column.

PyYAML's node tree keeps the position of every key and value; we keep that tree next to the
plain data and walk it along a pydantic error ``loc`` to find where the user has to look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from selfeval.errors import InputError, Location
from selfeval.safety.personal_data import TextValue

MAX_YAML_BYTES = 5 * 1024 * 1024
# Alias expansion ("billion laughs") is bounded by counting the nodes the data would have.
MAX_EXPANDED_NODES = 200_000


class _Loader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 surprises: 'no'/'yes'/'on'/'off' stay text and dates stay text
    (pydantic parses dates where a date is expected), and duplicate keys are an error."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@dataclass
class YamlDocument:
    """A YAML file as read: its data, and where each value came from (for located messages)."""

    path: Path
    data: Any
    _root: Node | None
    # Every non-empty scalar text (keys and values), when the fast constructor collected them on the
    # way: the personal-data screen reads these, and walks ``root`` for places only if one is a hit.
    texts: list[str] | None = None
    # The file's text, when read_yaml let the node tree go once the data was built: places are asked
    # for only when something is wrong, and then the tree is parsed again from it, node for node the
    # same. (Kept, a file's thousands of nodes and their marks live as long as the run, and Python's
    # cycle collector reads them all again at each of its passes over older objects.)
    source: str | None = field(default=None, repr=False)

    @property
    def root(self) -> Node | None:
        if self._root is None and self.source is not None:
            self._root, self.source = _compose(self.source), None
        return self._root

    def locate(self, loc: tuple[Any, ...]) -> tuple[Location, tuple[Any, ...]]:
        """The position of the deepest node that ``loc`` reaches, and the part of ``loc`` that was found."""
        node = self.root
        found: list[Any] = []
        best = node
        for part in loc:
            if part == "[key]":
                # pydantic's marker for a bad mapping key: point at the key rather than its value.
                best = key_node_for(self.root, found) or best
                break
            nxt, _ = _child(node, part)
            if nxt is None:
                break
            node = nxt
            best = node
            found.append(part)
        if best is None:
            return Location(self.path), tuple(found)
        mark = best.start_mark
        return Location(self.path, line=mark.line + 1, column=mark.column + 1), tuple(found)


def _child(node: Node | None, part: Any) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(part):
                return value, key
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None


def key_node_for(root: Node | None, path: list[Any]) -> Node | None:
    node = root
    key_node = None
    for part in path:
        node, key_node = _child(node, part)
        if node is None:
            return None
    return key_node


def format_loc(loc: tuple[Any, ...]) -> str:
    """('areas_for_improvement', 2, 'framework_refs', 0) -> 'areas_for_improvement[2].framework_refs[0]'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            text += ("." if text else "") + str(part)
    return text


def _libyaml_loader() -> type[yaml.CSafeLoader] | None:
    """libyaml's parser (about 25x faster) with the same resolvers; it yields the same nodes and marks."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None

    resolvers = _Loader.yaml_implicit_resolvers
    wildcard: list[tuple[str, Any]] = [(str(tag), rx) for tag, rx in resolvers.get(None) or []]
    # PyYAML's resolve() builds the list of resolvers for a scalar's first character (and the
    # wildcard ones) again for every scalar libyaml hands back; here it is built once.
    by_first: dict[Any, list[tuple[str, Any]]] = {
        first: [*((str(tag), rx) for tag, rx in found or []), *wildcard] for first, found in resolvers.items() if first is not None
    }
    scalar_tag, sequence_tag, mapping_tag = (str(t) for t in (_Loader.DEFAULT_SCALAR_TAG, _Loader.DEFAULT_SEQUENCE_TAG, _Loader.DEFAULT_MAPPING_TAG))

    class CLoader(yaml.CSafeLoader):
        # Called for every node libyaml composes (about 5,000 in the example's findings): kept to the
        # few steps PyYAML's takes for a loader without path resolvers, with the tags as constants.
        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in by_first.get(value[:1], wildcard):
                        if regexp.match(value):
                            return tag
                return scalar_tag
            return sequence_tag if kind is SequenceNode else mapping_tag

        # Without path resolvers (this loader has none) PyYAML's own versions return at once.
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    CLoader.yaml_implicit_resolvers = resolvers
    if CLoader.yaml_path_resolvers:  # never: but then PyYAML's resolve() is the one to use
        return None
    return CLoader


_CLoader = _libyaml_loader()


def _compose(text: str, utf8: bytes | None = None) -> Node | None:
    """Parse with libyaml when it is available; on any problem, parse again in pure Python so the
    error message (and its line and column) is always PyYAML's own wording.

    ``utf8``: ``text`` as UTF-8, when the caller has it (the file's bytes): libyaml reads UTF-8, and
    is handed a str's encoding otherwise (a copy of the whole file, made character by character)."""
    if _CLoader is not None:
        try:
            return yaml.compose(text if utf8 is None else utf8, Loader=_CLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file, or raise an InputError naming the file and line."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", Location(path)) from None
    if size > MAX_YAML_BYTES:
        raise InputError(
            f"the file is {size / 1e6:.1f} MB; findings files are limited to {MAX_YAML_BYTES // 1e6:.0f} MB", Location(path)
        )
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw[:4096]):
        raise InputError(
            "the file is saved as UTF-16 (Notepad's 'Unicode'); save it as UTF-8 in your editor and run again",
            Location(path, line=1),
        )
    if b"\x00" in raw[:4096]:
        raise InputError("this is not a YAML text file (it contains binary data)", Location(path, line=1))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError(
            f"the file is not UTF-8 text (byte 0x{raw[e.start]:02x}); save it as UTF-8 in your editor",
            Location(path, line=line, column=column),
        ) from None
    if _only_comments(text):
        raise InputError("the file is empty", Location(path, line=1))
    try:
        # The bytes that decoded to ``text``, less the byte-order mark utf-8-sig dropped: what
        # text.encode() would give, byte for byte (UTF-8 decodes and encodes back exactly).
        root = _compose(text, raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    except RecursionError:
        raise _too_deep(path) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or "invalid YAML"
        if e.context:
            problem = f"{problem} ({e.context})"
        loc = Location(path, line=mark.line + 1, column=mark.column + 1) if mark else Location(path)
        raise InputError(f"YAML syntax error: {problem}", loc) from None
    except yaml.YAMLError as e:
        raise InputError(f"YAML syntax error: {e}", Location(path)) from None
    # (The full path's pure-Python loader below refuses non-printable text; a text that composed has
    # none: libyaml and PyYAML's reader refuse the same characters, as a test checks.)
    built = _plain_construct(root, "*" in text)
    if built is not None:
        return YamlDocument(path, built[0], None, built[1], source=text)
    try:
        _check_expansion(path, root)
    except RecursionError:
        raise _too_deep(path) from None
    _check_duplicate_keys(path, root)
    loader = _Loader(text)
    try:
        data = loader.construct_document(root) if root is not None else None
    except RecursionError:
        raise _too_deep(path) from None
    except yaml.YAMLError as e:
        raise InputError(f"YAML error: {e}", Location(path)) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, root)


# -- the fast constructor ---------------------------------------------------------------------------
# PyYAML's constructor costs about as much as libyaml's parse: a Python call or two, a generator and a
# state check per node. A findings file is plain maps, lists and scalars with no aliases, merge keys,
# duplicate keys or explicit tags, and for that (checked node by node) the data is built in one
# iterative walk that also gathers the texts for the personal-data screen. Anything else returns
# None and read_yaml takes the full path above: the same checks, data and messages as before.

_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_SCALAR_TAGS = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# Deeper than this, the full path's recursive checks decide (a real findings file nests about 5 levels).
_PLAIN_MAX_DEPTH = 64
_SCALARS = yaml.constructor.SafeConstructor()  # its int/float/bool/null constructors, exactly as the full path


class _NotPlain(Exception):
    """The document needs the full constructor (an alias, a merge or duplicate key, a tag, a deep nest)."""


def _plain_scalar(node: Node) -> Any:
    if not isinstance(node, ScalarNode):
        raise _NotPlain
    if node.tag == _STR:
        return node.value
    if node.tag not in _SCALAR_TAGS:
        raise _NotPlain
    try:
        return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
    except Exception:  # e.g. an explicit '!!int x': the full path reports it
        raise _NotPlain from None


def _plain_construct(root: Node | None, may_alias: bool = True) -> tuple[Any, list[str]] | None:
    """(data, every non-empty scalar text) for a plain document, as SafeConstructor builds it; else None.

    ``may_alias``: False when the text has no '*', so no node can be met twice (an alias needs one)."""
    if root is None:
        return None
    texts: list[str] = []
    seen: set[int] | None = set() if may_alias else None
    stack: list[tuple[Node, Any, int]] = []

    def build(node: Node, depth: int) -> Any:
        """A scalar's value, or an empty container whose children are built when ``stack`` reaches it."""
        if seen is not None:
            if id(node) in seen:
                raise _NotPlain  # an alias: the full path bounds its expansion
            seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.value:
                texts.append(node.value)
            return node.value if node.tag == _STR else _plain_scalar(node)
        if depth >= _PLAIN_MAX_DEPTH:
            raise _NotPlain
        container = _new_container(node)
        stack.append((node, container, depth + 1))
        return container

    add_text = texts.append
    # Most nodes are texts (tag str) in a map or a list: without aliases to track, such a child is
    # built right here, rather than by a call to build() for each of the file's thousands of nodes.
    inline = seen is None
    try:
        data = build(root, 0)
        while stack:
            node, target, depth = stack.pop()
            if isinstance(target, list):
                append = target.append
                for child in node.value:
                    if inline and isinstance(child, ScalarNode) and child.tag == _STR:
                        text = child.value
                        if text:
                            add_text(text)
                        append(text)
                    else:
                        append(build(child, depth))
                continue
            keys: set[str] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.value in keys or key_node.tag in _SPECIAL_KEYS:
                    raise _NotPlain  # a complex, duplicate, merge ('<<') or '=' key
                key = key_node.value
                keys.add(key)
                if inline and key_node.tag == _STR:
                    if key:
                        add_text(key)
                else:
                    key = build(key_node, depth)
                if inline and isinstance(value_node, ScalarNode) and value_node.tag == _STR:
                    text = value_node.value
                    if text:
                        add_text(text)
                    target[key] = text
                else:
                    target[key] = build(value_node, depth)
    except _NotPlain:
        return None
    return data, texts


_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


def _new_container(node: Node) -> Any:
    if isinstance(node, MappingNode) and node.tag == _MAP:
        return {}
    if isinstance(node, SequenceNode) and node.tag == _SEQ:
        return []
    raise _NotPlain


def _blank_or_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _only_comments(text: str) -> bool:
    """Whether every line of ``text`` is blank or a comment. A findings file's first lines settle it:
    each line of its first 4 KB but the last (which may go on) is a line of the file, and the file's
    other 100,000 lines need not be split to find one that is neither."""
    if not all(_blank_or_comment(line) for line in text[:4096].splitlines()[:-1]):
        return False
    return all(_blank_or_comment(line) for line in text.splitlines())


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a byte-order mark: every other byte of ASCII text is a zero."""
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even)) or (
        even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd)
    )


def _too_deep(path: Path) -> InputError:
    return InputError(
        "the file nests lists or blocks too deeply to be a findings file (hundreds of levels); "
        "check for runaway '[' or '-' characters",
        Location(path),
    )


def _check_expansion(path: Path, root: Node | None) -> None:
    sizes: dict[int, int] = {}
    aliased = False  # a node met twice is an alias: only then can the data outgrow the file

    def size(node: Node) -> int:
        nonlocal aliased
        key = id(node)
        if key in sizes:
            aliased = True
            return sizes[key]
        sizes[key] = 1  # guards recursive aliases
        total = 1
        if isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, SequenceNode):
            total += sum(size(v) for v in node.value)
        sizes[key] = total
        if total > MAX_EXPANDED_NODES and aliased:
            mark = node.start_mark
            raise InputError(
                "YAML aliases expand to too much data (more than "
                f"{MAX_EXPANDED_NODES:,} values); remove the repeated '*' aliases",
                Location(path, line=mark.line + 1, column=mark.column + 1),
            )
        return total

    if root is not None:
        size(root)


def _check_duplicate_keys(path: Path, root: Node | None) -> None:
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            keys: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in keys:
                        first = keys[key.value].start_mark.line + 1
                        mark = key.start_mark
                        raise InputError(
                            f"'{key.value}' appears twice in the same block (first on line {first})",
                            Location(path, line=mark.line + 1, column=mark.column + 1),
                        )
                    keys[key.value] = key
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


def text_values(doc: YamlDocument) -> Iterator[TextValue]:
    """Every scalar in the file (keys and values) with its position, walked without recursion."""
    stack: list[Node] = [doc.root] if doc.root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if isinstance(node.value, str) and node.value:
                yield TextValue(node.value, node.start_mark.line + 1, node.start_mark.column + 1)
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
