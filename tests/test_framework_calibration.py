"""The confidence in `--json` is calibrated on held-out councils (Platt scaling, then an isotonic
curve shipped as data), and calibrating never changes which ref comes first."""

from __future__ import annotations

import json
from pathlib import Path

from selfeval.analyse import framework_map as fm

DATA = Path(__file__).resolve().parent.parent / "src" / "selfeval" / "data"


def _shipped() -> dict:
    return json.loads((DATA / "framework_learned.json").read_text(encoding="utf-8"))


def test_the_shipped_isotonic_curve_never_goes_down() -> None:
    knots = _shipped()["isotonic"]
    assert len(knots) >= 2
    xs, ys = [x for x, _ in knots], [y for _, y in knots]
    assert xs == sorted(xs) and ys == sorted(ys) and all(0 < y < 1 for y in ys)
    grid = [i / 100 for i in range(101)]
    values = [fm.isotonic(p, [tuple(k) for k in knots]) for p in grid]
    assert values == sorted(values)
    assert fm.isotonic(0.0, [tuple(k) for k in knots]) == 0.0  # a ref the model rules out stays ruled out


def test_calibrating_keeps_the_models_order_and_the_confidences_sum_to_at_most_one() -> None:
    params = fm._params()
    for text in ("The response to children who go missing from care", "Management oversight and supervision of practice",
                 "Care leavers' access to suitable accommodation", "The quality of child protection plans"):
        scores, _, _ = fm.combined_scores(text, None, fm.learned(), params)
        raw = fm.probabilities(scores, params["temperature"])
        by_model = sorted(raw, key=lambda r: (-raw[r], fm._order(r)))
        calibrated = fm.calibrate_all(raw, params)
        assert list(calibrated)[0] == by_model[0], text
        assert sum(calibrated.values()) <= 1.0 + 1e-9
        assert [s.ref for s in fm.suggest_refs(text, top=1)] == by_model[:1]


def test_a_suggestion_says_about_how_often_such_suggestions_were_right() -> None:
    # The shipped table is the training script's own (in-sample for the calibration; the bench shows
    # the nested one): in every band with 20 or more suggestions, the mean confidence is within 0.15
    # of the share that were Ofsted's ref.
    for row in _shipped()["calibration"]:
        if row["suggestions"] >= 20:
            assert abs(row["mean_confidence"] - row["right"] / row["suggestions"]) <= 0.15, row
