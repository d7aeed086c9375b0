"""``aiguillage recommend``: recommendations for one profile, as text or one JSON object.

Unknown option values exit 2 naming the valid ones (or the closest communes); an invalid
knowledge base exits 2 with one ``file:line: field: message`` line per problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.commands.check_kb import load_base
from bot.config import load_settings
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import MatchResult, Profile, recommend
from bot.core.presenting import reason_text, render_result_text
from bot.core.territory import Commune
from bot.core.text import fold

LANGS = ("fr", "en")
CONTACT_KINDS = ("phone", "email", "website", "address")
CLOSEST = 5


class UsageError(ValueError):
    """An option value the knowledge base does not know; the message says what would do."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``recommend`` parser."""
    parser = subparsers.add_parser(
        "recommend",
        help="recommend support structures for one profile",
        description="Rank the knowledge base's actors for a profile (explicit answers win "
        "over what --text says); --json prints one object.",
    )
    parser.add_argument("--stage", help="stage id (idea, building, launching, …)")
    parser.add_argument("--legal-form", help="legal form id (association, scop, …)")
    parser.add_argument(
        "--need", action="append", default=[], help="need id (advice, funding, …); repeatable"
    )
    parser.add_argument("--commune", help="commune name, postal code or INSEE code")
    parser.add_argument("--text", default="", help="the project in the person's own words")
    parser.add_argument("--lang", choices=LANGS, default="fr", help="language of the output")
    parser.add_argument("--limit", type=int, default=3, help="how many results (default 3)")
    parser.add_argument("--kb", type=Path, help="knowledge folder (default: AIGUILLAGE_KB)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also list the close structures left out, and why (why_not)",
    )
    parser.set_defaults(run=run)


def _valid(option: str, value: str, valid: list[str]) -> str:
    if value not in valid:
        raise UsageError(f"{option}: unknown value «{value}»; valid values: {', '.join(valid)}")
    return value


def closest_communes(kb: KnowledgeBase, query: str) -> list[Commune]:
    """The communes whose names are closest to ``query``."""
    communes = list(kb.territory.communes.values())
    names = [fold(c.name) for c in communes]
    found = process.extract(fold(query), names, scorer=fuzz.WRatio, limit=CLOSEST)
    return [communes[index] for _, _, index in found]


def commune(kb: KnowledgeBase, query: str) -> Commune:
    """The commune ``query`` names; :class:`UsageError` listing candidates when unsure."""
    elsewhere = kb.territory.outside_town(query)
    if elsewhere is not None:
        raise UsageError(
            f"--commune: «{query}» is in {elsewhere.department_name} ({elsewhere.department}),"
            " outside Haute-Garonne; the bot covers Haute-Garonne (use --text to see the"
            " regional structures that may still help)"
        )
    found = kb.territory.lookup(query, prefer_insee=True)
    if found.commune is not None:
        return found.commune
    close = list(found.candidates) or closest_communes(kb, query)
    why = "is ambiguous" if found.candidates else "is not a commune of Haute-Garonne"
    names = ", ".join(f"{c.name} ({c.insee})" for c in close[:CLOSEST])
    raise UsageError(f"--commune: «{query}» {why}; closest: {names}")


def profile_of(args: argparse.Namespace, kb: KnowledgeBase) -> Profile:
    """The profile the options describe; :class:`UsageError` on an unknown value."""
    taxonomy = kb.taxonomy
    if args.limit < 1:
        raise UsageError(f"--limit: must be at least 1, got {args.limit}")
    return Profile(
        stage=_valid("--stage", args.stage, list(taxonomy.stages)) if args.stage else None,
        legal_form=_valid("--legal-form", args.legal_form, list(taxonomy.legal_forms))
        if args.legal_form
        else None,
        needs=tuple(dict.fromkeys(_valid("--need", n, list(taxonomy.needs)) for n in args.need)),
        commune=commune(kb, args.commune).insee if args.commune else None,
        text=args.text,
        lang=args.lang,
    )


def as_json(result: MatchResult, kb: KnowledgeBase, *, explain: bool = False) -> dict[str, Any]:
    """The ``--json`` object: the profile used (answers and inferences), results, unmet needs;
    with ``explain``, the close structures left out and why (``why_not``)."""
    profile = result.profile
    place = kb.territory.get(profile.commune)
    outside = result.outside_area
    data: dict[str, Any] = {
        "profile": {
            "stage": profile.stage,
            "legal_form": profile.legal_form,
            "needs": list(profile.needs),
            "commune": {"insee": place.insee, "name": place.name} if place else None,
            "outside_area": {"name": outside.name, "department": outside.department_name}
            if outside
            else None,
            "lang": profile.lang,
            "inferred": result.inference.items(),
        },
        "recommendations": [
            {
                "id": r.actor.id,
                "name": r.actor.name,
                "score": r.score,
                "reasons": [reason_text(reason, kb, profile.lang) for reason in r.reasons],
                "needs_covered": list(r.needs_covered),
                "contacts": {kind: r.actor.first(kind) for kind in CONTACT_KINDS},
                "source": list(r.actor.source),
                "info_date": r.actor.info_date,
            }
            for r in result.recommendations
        ],
        "unmet_needs": list(result.unmet_needs),
    }
    if explain:
        data["why_not"] = [
            {
                "id": e.actor.id,
                "name": e.actor.name,
                "reason": reason_text(e.reason, kb, profile.lang),
            }
            for e in result.excluded
        ]
    return data


def run(args: argparse.Namespace) -> int:
    """Print the recommendations; 2 on an unknown value or an invalid base."""
    kb, problems = load_base(args.kb if args.kb is not None else load_settings().kb_path)
    if kb is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    try:
        profile = profile_of(args, kb)
    except UsageError as error:
        print(f"aiguillage recommend: {error}", file=sys.stderr)
        return 2
    result = recommend(kb, profile, args.limit)
    if args.json:
        print(json.dumps(as_json(result, kb, explain=args.explain), ensure_ascii=False, indent=2))
    else:
        print(render_result_text(result, kb, args.lang, date.today(), args.limit))
        if args.explain:
            for left_out in result.excluded:
                reason = reason_text(left_out.reason, kb, args.lang)
                print(f"why_not: {left_out.actor.name}: {reason}")
    return 0
