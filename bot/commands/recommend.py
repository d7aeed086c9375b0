"""``aiguillage recommend``: recommendations for one profile, as text or a stable JSON object."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.core.knowledge import KnowledgeBase, KnowledgeError
from bot.core.loader import load_knowledge
from bot.core.matching import MatchResult, Profile, recommend
from bot.core.presenting import reason_text, render_result_text

LANGS = ("fr", "en")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``recommend`` parser."""
    parser = subparsers.add_parser(
        "recommend",
        help="recommend structures for one profile",
        description="Rank the knowledge base's actors for a profile; --json for the contract.",
    )
    parser.add_argument("--stage", help="idea, building, launching, growing, struggling")
    parser.add_argument("--legal-form", help="undecided, association, scop, scic, …")
    parser.add_argument("--need", action="append", default=[], help="a need (repeatable)")
    parser.add_argument("--commune", help="commune name, postal code or INSEE code")
    parser.add_argument("--text", default="", help="free text describing the project")
    parser.add_argument("--lang", choices=LANGS, default="fr")
    parser.add_argument("--limit", type=int, default=3, help="how many results (default 3)")
    parser.add_argument("--kb", type=Path, help="knowledge folder (default: AIGUILLAGE_KB)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def _check(kind: str, value: str | None, valid: list[str], option: str) -> str | None:
    if value is None or value in valid:
        return None
    return f"{option}: unknown {kind} «{value}»; valid values: {', '.join(valid)}"


def _profile(args: argparse.Namespace, kb: KnowledgeBase) -> tuple[Profile | None, str | None]:
    taxonomy = kb.taxonomy
    for error in (
        _check("stage", args.stage, list(taxonomy.stages), "--stage"),
        _check("legal form", args.legal_form, list(taxonomy.legal_forms), "--legal-form"),
        *(_check("need", n, list(taxonomy.needs), "--need") for n in args.need),
    ):
        if error:
            return None, error
    if args.limit < 1:
        return None, "--limit: must be at least 1"
    insee = None
    if args.commune:
        found = kb.territory.lookup(args.commune, prefer_insee=True)
        if found.commune is None:
            close = ", ".join(f"{c.name} ({c.insee})" for c in found.candidates[:5])
            hint = f"; closest: {close}" if close else ""
            return None, f"--commune: «{args.commune}» is not a commune of Haute-Garonne{hint}"
        insee = found.commune.insee
    needs = tuple(dict.fromkeys(args.need))
    profile = Profile(args.stage, args.legal_form, needs, insee, args.text, args.lang)
    return profile, None


def as_json(result: MatchResult, kb: KnowledgeBase, lang: str, limit: int) -> dict[str, Any]:
    """The ``--json`` contract."""
    profile = result.profile
    commune = kb.territory.get(profile.commune)
    return {
        "profile": {
            "stage": profile.stage,
            "legal_form": profile.legal_form,
            "needs": list(profile.needs),
            "commune": {"insee": commune.insee, "name": commune.name} if commune else None,
            "lang": lang,
            "inferred": result.inference.items(),
        },
        "recommendations": [
            {
                "id": r.actor.id,
                "name": r.actor.name,
                "score": r.score,
                "reasons": [reason_text(reason, kb, lang) for reason in r.reasons],
                "needs_covered": list(r.needs_covered),
                "contacts": {k: r.actor.first(k) for k in ("phone", "email", "website", "address")},
                "source": list(r.actor.source),
                "info_date": r.actor.info_date,
            }
            for r in result.recommendations[:limit]
        ],
        "unmet_needs": list(result.unmet_needs),
    }


def run(args: argparse.Namespace) -> int:
    """Print the recommendations; exit 2 on an unknown value or an invalid base."""
    path = args.kb or load_settings().kb_path
    try:
        kb = load_knowledge(path)
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:
        print(f"aiguillage: cannot read the knowledge base {path}: {error}", file=sys.stderr)
        return 2
    profile, problem = _profile(args, kb)
    if profile is None:
        print(f"aiguillage recommend: {problem}", file=sys.stderr)
        return 2
    result = recommend(kb, profile, limit=max(args.limit, 10))
    if args.json:
        print(json.dumps(as_json(result, kb, args.lang, args.limit), ensure_ascii=False))
    else:
        print(render_result_text(result, kb, args.lang, date.today(), args.limit))
    return 0
