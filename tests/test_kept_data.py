"""selfeval's shipped reference data is parsed once per version of each file, not once per run:
the next run takes it ready from the user's cache folder, and reads exactly the same facts. An
entry that is damaged, stale or cannot be written is simply made again; nothing there stops a run."""

from __future__ import annotations

import datetime as dt
import os
import stat
from importlib import resources
from pathlib import Path

import pytest
import yaml

from selfeval import facts, kept_data

SHIPPED = ("framework.yaml", "ilacs.yaml", "engagements.yaml", "framework_mapping.yaml", "framework_editions.yaml",
           "indicators.yaml", "judgement_words.yaml", "scorecard_vocabulary.yaml")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SELFEVAL_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "data"


class Builds:
    """A build that counts how often it ran."""

    def __init__(self, value: object):
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.data")) if cache.is_dir() else []


def _parsed(name: str) -> object:
    text = resources.files("selfeval.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def test_the_next_run_reads_the_same_facts_without_parsing_them(cache: Path) -> None:
    for name in SHIPPED:
        facts.load_data.cache_clear()  # a new run
        first = facts.load_data(name)
        facts.load_data.cache_clear()
        again = facts.load_data(name)
        assert first == again == _parsed(name)
        assert _types(first) == _types(again)  # dates stay dates, ints ints
    assert len(_entries(cache)) == len(SHIPPED)
    facts.load_data.cache_clear()


def test_a_kept_value_is_not_built_again(cache: Path) -> None:
    value = {"eras": [{"from": dt.date(2018, 1, 1), "until": None, "areas": ["help", "care"]}], "n": 3, "x": 1.5, "ok": True}
    build = Builds(value)
    assert kept_data.kept("test", b"source", build) == value
    assert kept_data.kept("test", b"source", build) == value
    assert build.calls == 1
    assert type(kept_data.kept("test", b"source", build)["eras"][0]["from"]) is dt.date


def test_a_changed_file_is_never_served_from_an_old_entry(cache: Path) -> None:
    assert kept_data.kept("test", b"version: 1", Builds({"version": 1})) == {"version": 1}
    assert kept_data.kept("test", b"version: 2", Builds({"version": 2})) == {"version": 2}
    # Read by another parser (or another version of it): another entry too.
    assert kept_data.kept("other parser", b"version: 1", Builds({"version": "1"})) == {"version": "1"}
    assert len(_entries(cache)) == 3


@pytest.mark.parametrize("damage", [b"", b"not marshal data", None])
def test_a_damaged_entry_is_made_again_with_the_same_result(cache: Path, damage: bytes | None) -> None:
    value = {"areas": ["help and protection", "children in care"], "rank": 2}
    kept_data.kept("test", b"source", Builds(value))
    (entry,) = _entries(cache)
    data = entry.read_bytes()
    # Truncated, replaced, or one bit flipped in the marshal data (it would still load: the entry's digest says no).
    entry.write_bytes(damage if damage is not None else data[:-3] + bytes([data[-3] ^ 1]) + data[-2:])
    build = Builds(value)
    assert kept_data.kept("test", b"source", build) == value
    assert build.calls == 1
    assert entry.read_bytes() == data  # made again, and kept
    assert kept_data.kept("test", b"source", Builds(None)) == value


def test_a_cache_that_cannot_be_written_is_a_cache_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SELFEVAL_CACHE", str(blocked))
    build = Builds({"a": 1})
    assert kept_data.kept("test", b"source", build) == {"a": 1}
    assert kept_data.kept("test", b"source", build) == {"a": 1}
    assert build.calls == 2
    monkeypatch.setenv("SELFEVAL_CACHE", "")  # turned off
    assert kept_data.kept("test", b"source", build) == {"a": 1}
    assert build.calls == 3


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="POSIX permissions, not as root")
def test_a_read_only_cache_folder_stops_nothing(cache: Path) -> None:
    kept_data.kept("test", b"one", Builds(1))
    os.chmod(cache, stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert kept_data.kept("test", b"two", Builds(2)) == 2
        assert kept_data.kept("test", b"one", Builds(None)) == 1
    finally:
        os.chmod(cache, 0o700)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_others_could_write_to_is_not_used(cache: Path) -> None:
    kept_data.kept("test", b"source", Builds({"a": 1}))
    os.chmod(cache, 0o777)
    try:
        build = Builds({"a": 1})
        assert kept_data.kept("test", b"source", build) == {"a": 1}
        assert build.calls == 1  # someone else could have planted that entry
    finally:
        os.chmod(cache, 0o700)


@pytest.mark.parametrize(
    "value",
    [
        {"at": dt.datetime(2026, 3, 2, 9, 30)},  # a datetime is not a date
        {dt.date(2026, 3, 2): "a date as a key"},
        ("\0date", 738000),  # would read back as a date
        [True, 1, 1.0, "1", None, b"1", (1, "a"), frozenset({"a", "b"})],
    ],
)
def test_only_what_reads_back_exactly_is_kept(cache: Path, value: object) -> None:
    build = Builds(value)
    assert kept_data.kept("test", b"source", build) == value
    again = kept_data.kept("test", b"source", build)
    assert again == value and _types(again) == _types(value)


def test_an_unreadable_value_is_built_every_time(cache: Path) -> None:
    class Special(int):
        pass

    build = Builds({"n": Special(3)})
    assert kept_data.kept("test", b"source", build) == {"n": 3}
    assert type(kept_data.kept("test", b"source", build)["n"]) is Special
    assert build.calls == 2
    assert _entries(cache) == []


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, *(_types(v) for v in value)]
    return type(value).__name__


def test_the_council_index_is_the_same_kept_as_built(cache: Path) -> None:
    from selfeval import councils

    try:
        for _ in range(2):  # built and kept, then read back from the cache folder
            councils._index.cache_clear()
            assert councils._index() == councils._built_index()
            assert councils.resolve_council("London Borough of Lambeth").name == "Lambeth"
        assert len(_entries(cache)) == 1
    finally:
        councils._index.cache_clear()


def test_the_framework_lexicon_and_learned_model_are_the_same_kept_as_built(cache: Path) -> None:
    from selfeval.analyse import framework_map as fm
    from selfeval.analyse.framework_learned import from_json, shipped

    def fresh() -> None:
        for cached in (fm._lexicon, fm.model, fm._phrase_index, fm.learned):
            cached.cache_clear()

    built = fm._built_model()
    trained = from_json(shipped(), fm.features)
    try:
        for _ in range(2):  # built and kept, then read back from the cache folder
            fresh()
            assert fm.model() == built
            assert fm._phrase_index() == fm._index_phrases(built.phrases)
            learned = fm.learned()
            assert (learned.classes, learned.features, learned.totals, learned.smoothing, learned.examples) == (
                trained.classes, trained.features, trained.totals, trained.smoothing, trained.examples)
            assert [s.ref for s in fm.suggest_refs("Improve the timeliness of return home interviews for children who go missing")]
        assert len(_entries(cache)) >= 2  # the lexicon and the learned model (and any data file parsed meanwhile)
    finally:
        fresh()
