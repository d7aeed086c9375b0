"""The dev split of the orientation cases as a regression test (``make eval`` prints it all).

Thresholds sit a little below the scores measured when they were set (dev, 2026-12-01: top-3
95.9 %, top-1 76.7 %, everything else 100 % but exclusions 95.3 %), so that they guard
without freezing the wording of the base; no-answer recall was lowered when dev_3 brought
out-of-area requests nothing can answer (measured 92.7 %: a town abroad, national networks
shown to a town outside the region), and raised again once places abroad were known (dev with
dev_4, 2026-12-01, branch orient4: no-answer recall 95.8 %, out-of-area handled 100 %, top-3
98.5 %, top-1 89.0 %). With dev_5 (470 cases, branch orient5: top-3 98.9 %, top-1 89.6 %,
no-answer precision 99.1 % and recall 97.4 %, out-of-area handled 99.2 %, exclusions kept
99.6 %) the floors were raised to a few points below. dev_14 (project8, 2026-12-02) added 22
off-topic texts that mention activities (opening hours, ads, news, a recipe): 11 of them still
get recommendations from need words read in them (the other side of the work, meaning8's), so
no-answer recall measured 93.1 % with it, before and after project8's rules: its floor is a
little below. With every branch of that day merged and news and announcements read as no
request (dev 1,473 cases: top-1 93.5 %, no-answer recall 97.3 %) both floors went back up.
The holdout split is never scored here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.bundled import KB

from evaluation.corpus import load_split
from evaluation.metrics import Scores, score

ROOT = Path(__file__).resolve().parent.parent

MINIMUM = {
    "top-3": 0.95,
    "top-1": 0.90,
    "no-answer precision": 0.98,
    "no-answer recall": 0.95,
    "real request answered": 0.98,
    "out-of-area handled": 0.97,
    "out-of-area never swapped": 1.0,
    "commune read": 0.96,
    "language": 0.97,
    "no exclusion broken": 0.97,
}


@pytest.fixture(scope="module")
def dev() -> Scores:
    return score(KB, load_split("dev", KB))


@pytest.mark.parametrize("figure", sorted(MINIMUM))
def test_dev_split_stays_above_its_floor(dev: Scores, figure: str) -> None:
    passed, total = dev.figures()[figure]
    assert total > 0 and passed / total >= MINIMUM[figure], (figure, passed, total)


def test_the_splits_are_big_enough_and_disjoint() -> None:
    dev_cases, holdout = load_split("dev", KB), load_split("holdout", KB)
    assert len(dev_cases) + len(holdout) >= 300
    held = {c.text for c in holdout if not c.wants_nothing}
    both = [c.id for c in dev_cases if not c.wants_nothing and c.text in held]
    # only the dev ids are shown: a failure must not print held-out text
    assert not both, f"dev requests also in the holdout (greetings may repeat): {both}"
    english = sum(1 for c in dev_cases + holdout if c.lang == "en")
    assert 0.1 <= english / (len(dev_cases) + len(holdout)) <= 0.25


def test_make_eval_piped_into_a_reader_that_stops_ends_quietly() -> None:
    """« make eval | head -3 »: a report written to a closed pipe ends with no traceback."""
    run = subprocess.Popen(
        [sys.executable, "-m", "evaluation", "dev", "--file", "dev_1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert run.stdout is not None and run.stderr is not None
    run.stdout.close()  # the reader has stopped before the report is written
    errors = run.stderr.read()
    assert run.wait(timeout=120) == 0, errors
    assert b"Traceback" not in errors, errors
