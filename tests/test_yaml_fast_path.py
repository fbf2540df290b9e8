"""Findings files are read through a fast constructor when they are plain maps, lists and scalars;
whatever a file holds, the data, the texts screened and every error message are the same as the
full PyYAML path gives (the fast path hands anything unusual to it)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval.errors import InputError
from selfeval.load import yaml_source
from selfeval.load.yaml_source import YamlDocument, read_yaml, text_values

SNIPPETS = [
    "a: 1\nb: 0x1F\nc: 0o17\nd: 017\ne: 1_000\nf: 1:30\ng: -0\nh: +5\n",
    "a: 1.5\nb: .inf\nc: -.INF\nd: .nan\ne: 1e3\nf: 1.0e+3\ng: 6.8523015e+5\nh: 1:30.5\n",
    "a: ~\nb:\nc: null\nd: Null\ne: true\nf: False\ng: yes\nh: no\ni: on\nj: off\n",
    "date: 2026-01-12\nwhen: 2026-01-12T10:00:00Z\nid: LAM-2026-01\n",
    "1: one\n2.5: two\nnull: three\ntrue: four\n'1': quoted one\n",
    "a: &x {b: 1}\nc: *x\n",
    "a: &x text\nb: [*x, *x]\n*x : key from an alias\n",
    "a: &anchor only, never used\nb: 5 * 3 is not an alias\nc: '*quoted*'\n",
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "a: 1\nb: 2\na: 3\n",
    "a: 1\n'a': 2\n",
    "? [1, 2]\n: complex key\n",
    "a: !!str 123\nb: !!int '7'\nc: !!float '1'\nd: !!bool 'yes'\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2026-01-12\n",
    "a: !!set {x, y}\n",
    "a: !!int notanumber\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "a: !!map [1, 2]\n",
    "a: !!seq {x: 1}\n",
    "a: !!str {x: 1}\n",
    "just text\n",
    "- 1\n- [2, [3, [4]]]\n- {a: [b, {c: d}]}\n",
    "=: value key\n",
    "a: " + "[" * 80 + "]" * 80 + "\n",
    "a: " + "[" * 2000 + "]" * 2000 + "\n",
    "a:\n  b:\n    c: 'NHS 943 476 5919'\n  d: \"multi\n    line\"\n",
    "a: |\n  block text\n  kept\nb: >\n  folded\n  text\n",
    "a: ''\nb: \"\"\n'': empty key\n",
    "a: 1\n---\nb: 2\n",
    "{a: 1, b: [x, y], c: {d: e}}\n",
    "a: \x07 bell\n",
    "a: b: c\n",
    "a: 'unterminated\n",
]


def _full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "_plain_construct", lambda root, may_alias=True: None)


def _read(path: Path) -> tuple[str, Any, list[str]]:
    try:
        doc = read_yaml(path)
    except InputError as e:
        return ("error", str(e), [])
    except Exception as e:  # anything else must at least be the same kind of failure
        return ("raised", type(e).__name__, [])
    return ("data", _comparable(doc.data), sorted(v.text for v in text_values(doc)))


def _comparable(value: Any) -> Any:
    """Data with its types spelt out (1 and 1.0 and True differ) and NaN made comparable."""
    if isinstance(value, dict):
        return [("dict", _comparable(k), _comparable(v)) for k, v in value.items()]
    if isinstance(value, list):
        return ["list", *(_comparable(v) for v in value)]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _both(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    fast = _read(path)
    with monkeypatch.context() as m:
        _full_path(m)
        full = _read(path)
    return fast, full


@pytest.mark.parametrize("text", SNIPPETS)
def test_the_fast_path_reads_every_snippet_as_the_full_path_does(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, full = _both(tmp_path, text, monkeypatch)
    assert fast == full


def test_the_example_findings_take_the_fast_path_and_give_the_same_texts() -> None:
    for path in sorted(Path(__file__).parent.parent.joinpath("inputs", "findings").glob("*.yaml")):
        doc = read_yaml(path)
        assert doc.texts is not None, path
        assert sorted(doc.texts) == sorted(v.text for v in text_values(YamlDocument(path, doc.data, doc.root)))


_SCALAR = st.one_of(
    st.sampled_from(["1", "0x1F", "017", "1:30", "1.5", ".inf", "~", "null", "true", "yes", "no", "''", "'a: b'", "x", "2026-01-12", "-"]),
    st.text("ab 1:-", min_size=1, max_size=6).map(lambda t: "'" + t.replace("'", "''") + "'"),
)
_KEY = st.sampled_from(["a", "b", "c", "1", "'1'", "null", "<<", "true"])


def _yaml(depth: int = 0) -> st.SearchStrategy[str]:
    if depth > 2:
        return _SCALAR
    inner = st.deferred(lambda: _yaml(depth + 1))
    return st.one_of(
        _SCALAR,
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(_KEY, inner), max_size=4).map(lambda kvs: "{" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}"),
    )


@settings(max_examples=300, deadline=None)
@given(_yaml())
def test_random_flow_documents_read_the_same_both_ways(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    tmp = tmp_path_factory.mktemp("y")
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, full = _both(tmp, "root: " + text + "\n", monkeypatch)
    assert fast == full


def _tree(node: Any) -> Any:
    """A node tree as plain data: each node's kind, tag, value and place."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    place = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, ScalarNode):
        return ("scalar", node.tag, node.value, node.style, place)
    if isinstance(node, SequenceNode):
        return ("seq", node.tag, [_tree(n) for n in node.value], place)
    if isinstance(node, MappingNode):
        return ("map", node.tag, [(_tree(k), _tree(v)) for k, v in node.value], place)
    return None


def _reference_loader() -> Any:
    """libyaml's loader with PyYAML's own resolve(), as selfeval used it before."""
    import yaml

    class Reference(yaml.CSafeLoader):
        pass

    Reference.yaml_implicit_resolvers = yaml_source._Loader.yaml_implicit_resolvers
    return Reference


def _same_tree_both_ways(text: str) -> None:
    import yaml

    try:
        fast = _tree(yaml.compose(text, Loader=yaml_source._CLoader))
    except yaml.YAMLError as e:
        with pytest.raises(yaml.YAMLError) as reference:
            yaml.compose(text, Loader=_reference_loader())
        assert str(reference.value) == str(e)
        return
    assert fast == _tree(yaml.compose(text, Loader=_reference_loader()))


@pytest.mark.skipif(yaml_source._CLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", [s for s in SNIPPETS if "[" * 200 not in s])
def test_libyaml_with_the_quicker_resolve_gives_the_same_tags(text: str) -> None:
    """The libyaml loader's quicker resolve() gives every node the tag PyYAML's resolve() gives."""
    _same_tree_both_ways(text)


@pytest.mark.skipif(yaml_source._CLoader is None, reason="PyYAML without libyaml")
def test_the_example_findings_get_the_same_tags_with_the_quicker_resolve() -> None:
    for path in sorted(Path(__file__).parent.parent.joinpath("inputs", "findings").glob("*.yaml")):
        _same_tree_both_ways(path.read_text(encoding="utf-8"))


@pytest.mark.skipif(yaml_source._CLoader is None, reason="PyYAML without libyaml")
def test_libyaml_refuses_every_character_pyyamls_reader_refuses() -> None:
    """So a text libyaml composed needs no second check before the fast constructor."""
    import yaml

    points = [*range(0, 0x3000), *range(0xD7F0, 0xD800), *range(0xE000, 0xE010), *range(0xFEF0, 0x10010), 0x10FFFF]
    for cp in points:
        text = f"a: 'x{chr(cp)}y'\n# {chr(cp)}\n"
        if yaml.reader.Reader.NON_PRINTABLE.search(text):
            with pytest.raises(yaml.YAMLError):
                yaml.compose(text, Loader=yaml_source._CLoader)


def test_a_plain_file_lets_its_node_tree_go_and_finds_places_as_before(tmp_path: Path) -> None:
    """The fast path keeps the text, not the tree; a place asked for is found in the tree parsed again."""

    path = tmp_path / "f.yaml"
    text = "a: 1\nlist:\n  - x\n  - {b: 'NHS 943 476 5919'}\n"
    path.write_text(text, encoding="utf-8")
    doc = read_yaml(path)
    assert doc._root is None and doc.source == text
    assert _tree(doc.root) == _tree(yaml_source._compose(text))  # what read_yaml composed the first time
    assert doc.source is None  # parsed once, then kept
    location, found = doc.locate(("list", 1, "b"))
    assert (location.line, location.column, found) == (4, 9, ("list", 1, "b"))
    assert [(v.text, v.line, v.column) for v in text_values(doc)][-1] == ("NHS 943 476 5919", 4, 9)


@pytest.mark.skipif(yaml_source._CLoader is None, reason="PyYAML without libyaml")
def test_libyaml_given_the_files_bytes_composes_what_it_composed_from_the_text() -> None:
    """read_yaml hands libyaml the file's UTF-8 bytes: the nodes, tags, styles and places are those
    of the decoded text."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.parent.joinpath("inputs", "findings").glob("*.yaml"))]
    for text in texts + [s for s in SNIPPETS if "[" * 200 not in s] + ["a: caf\u00e9 \u2019x\u2019 \U0001f600\nb: [1, 2]\n"]:
        try:
            from_text = _tree(yaml_source._compose(text))
        except Exception as e:  # the same failure both ways
            with pytest.raises(type(e)):
                yaml_source._compose(text, text.encode("utf-8"))
            continue
        assert _tree(yaml_source._compose(text, text.encode("utf-8"))) == from_text


def test_a_file_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    plain, marked = tmp_path / "plain.yaml", tmp_path / "marked.yaml"
    text = "a: 1\nb:\n  - 'x'\n  - {c: d}\n"
    plain.write_bytes(text.encode("utf-8"))
    marked.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    one, two = read_yaml(plain), read_yaml(marked)
    assert one.data == two.data and _tree(one.root) == _tree(two.root)
