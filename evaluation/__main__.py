"""``make eval``: the orientation figures of each split; the misses of the dev split only.

The holdout's misses are not printed: it is scored, never read while tuning.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.commands.check_kb import load_base
from bot.config import load_settings
from evaluation.corpus import SPLITS, CaseError, load_split
from evaluation.metrics import Outcome, Scores, score

BY_LANGUAGE: dict[str, Callable[[Outcome], bool]] = {
    "top-3": lambda o: o.top3,
    "top-1": lambda o: o.top1,
}


def _pct(passed: int, total: int) -> str:
    return f"{100 * passed / total:5.1f} % ({passed}/{total})" if total else "   n/a"


def _miss(o: Outcome) -> str:
    c = o.case
    want = f"first {sorted(c.first)} " if c.first else ""
    place = (
        f" place={o.commune or o.outside}≠{c.commune or c.outside_area}" if not o.place_ok else ""
    )
    bad = f" {','.join(o.violations)}" if o.violations else ""
    return (
        f"  {c.id} [{c.category}] «{c.text[:90]}»\n"
        f"      got {list(o.top)} want {want}{sorted(c.expect) or 'nothing'}{place}{bad}"
    )


def report(split: str, scores: Scores, *, details: bool) -> str:
    """The printed report of one split."""
    lines = [f"== {split}: {len(scores.outcomes)} cases"]
    lines += [f"  {name:26} {_pct(*rate)}" for name, rate in scores.figures().items()]
    if details:
        for name, test in BY_LANGUAGE.items():
            rates = scores.by(lambda o: [o.case.lang], test, real=True)
            shown = "   ".join(f"{lang} {_pct(*rate)}" for lang, rate in rates.items())
            lines.append(f"  {name} by language:  {shown}")
        lines.append("  top-3 by category:")
        lines += [
            f"    {k:16} {_pct(*v)}" for k, v in scores.by(lambda o: [o.case.category]).items()
        ]
        lines.append("  top-3 by expected actor:")
        lines += [f"    {k:20} {_pct(*v)}" for k, v in scores.by(lambda o: o.case.expect).items()]
        misses = scores.misses()
        lines.append(f"  misses: {len(misses)}")
        lines += [_miss(o) for o in misses]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Score the splits; exit 2 on a bad case file or knowledge base."""
    parser = argparse.ArgumentParser(prog="make eval", description=__doc__)
    parser.add_argument("splits", nargs="*", help=f"{' or '.join(SPLITS)} (default: both)")
    parser.add_argument("--file", help="score one case file of the split only, e.g. dev_4")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.splits) - set(SPLITS))
    if unknown:  # checked here: argparse's choices refuse an empty list of splits
        parser.error(f"unknown split {', '.join(unknown)}; choose from {', '.join(SPLITS)}")
    kb, problems = load_base(load_settings().kb_path)
    if kb is None:
        print("\n".join(str(p) for p in problems), file=sys.stderr)
        return 2
    for split in args.splits or SPLITS:
        try:
            cases = load_split(split, kb, only=args.file)
        except (CaseError, OSError) as error:
            print(f"make eval: {error}", file=sys.stderr)
            return 2
        try:
            print(report(split, score(kb, cases), details=split == "dev"), flush=True)
        except BrokenPipeError:  # piped into a command that stopped reading (head, less)
            sys.stderr.close()
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
