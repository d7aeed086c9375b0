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
from bot.commands.words import complain, language, say
from bot.config import load_settings
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import MatchResult, Profile, recommend
from bot.core.presenting import reason_text, render_result_text
from bot.core.territory import Commune
from bot.core.text import fold

CONTACT_KINDS = ("phone", "email", "website", "address")
CLOSEST = 5


class UsageError(ValueError):
    """An option value the knowledge base does not know; the message says what would do."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``recommend`` command's arguments."""
    parser.add_argument("--stage", help=say("cli.recommend.stage"))
    parser.add_argument("--legal-form", help=say("cli.recommend.legal_form"))
    parser.add_argument("--need", action="append", default=[], help=say("cli.recommend.need"))
    parser.add_argument("--commune", help=say("cli.recommend.commune"))
    parser.add_argument("--text", default="", help=say("cli.recommend.text"))
    parser.add_argument("--limit", type=int, default=3, help=say("cli.recommend.limit"))
    parser.add_argument("--kb", type=Path, help=say("cli.recommend.kb"))
    parser.add_argument("--json", action="store_true", help=say("cli.check.json"))
    parser.add_argument("--explain", action="store_true", help=say("cli.recommend.explain"))
    parser.set_defaults(run=run)


def _valid(option: str, value: str, valid: list[str]) -> str:
    if value not in valid:
        raise UsageError(
            say("cli.recommend.unknown_value", option=option, value=value, valid=", ".join(valid))
        )
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
            say(
                "cli.recommend.outside",
                query=query,
                department=elsewhere.department_name,
                code=elsewhere.department,
                covered=kb.territory.covered(language()),
            )
        )
    found = kb.territory.lookup(query, prefer_insee=True)
    if found.commune is not None:
        return found.commune
    close = list(found.candidates) or closest_communes(kb, query)
    key = "cli.recommend.ambiguous" if found.candidates else "cli.recommend.not_a_commune"
    names = ", ".join(f"{c.name} ({c.insee})" for c in close[:CLOSEST])
    raise UsageError(say(key, query=query, names=names))


def profile_of(args: argparse.Namespace, kb: KnowledgeBase) -> Profile:
    """The profile the options describe; :class:`UsageError` on an unknown value."""
    taxonomy = kb.taxonomy
    if args.limit < 1:
        raise UsageError(say("cli.recommend.limit_too_small", limit=args.limit))
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
        complain("recommend", str(error))
        return 2
    result = recommend(kb, profile, args.limit)
    if args.json:
        print(json.dumps(as_json(result, kb, explain=args.explain), ensure_ascii=False, indent=2))
    else:
        print(render_result_text(result, kb, args.lang, date.today(), args.limit))
        if args.explain:
            for left_out in result.excluded:
                reason = reason_text(left_out.reason, kb, args.lang)
                print(say("cli.recommend.why_not", name=left_out.actor.name, reason=reason))
    return 0
