"""Turning match results into messages: actor cards, reasons, labels (via the catalogue)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from babel.lists import format_list

from bot.core.catalogue import Catalogue, Markup, bundled, to_plain
from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.matching import MatchResult, Reason, Recommendation
from bot.core.text import fold
from bot.core.unmet import later_for

RECENT_YEARS = 1
AREA_KEYS = {"toulouse-metropole": "area.toulouse-metropole", "sicoval": "area.sicoval"}
"""The areas (EPCI) whose name the catalogue words itself; the others keep the official name."""
CONTACT_KEYS = (
    ("phone", "card.phone"),
    ("email", "card.email"),
    ("website", "card.website"),
    ("address", "card.address"),
)


def label(kb: KnowledgeBase, kind: str, term_id: str, lang: str) -> str:
    """The label of a stage, legal form or need."""
    term = kb.taxonomy.kind(kind).get(term_id)
    return term.label(lang) if term else term_id


def commune_name(kb: KnowledgeBase, insee: str | None) -> str:
    """The commune's name, or its code when unknown."""
    commune = kb.territory.get(insee)
    return commune.name if commune else (insee or "")


def reason_text(reason: Reason, kb: KnowledgeBase, lang: str, cat: Catalogue | None = None) -> str:
    """One reason as plain words in ``lang``."""
    cat = cat or bundled()
    values = dict(reason.values)
    if lang in values or "fr" in values:  # a sentence of the knowledge base, per language
        values["text"] = values.get(lang) or values.get("fr", "")
    if "need" in values:
        values["need"] = label(kb, "needs", values["need"], lang)
    if "stage" in values:
        stage = label(kb, "stages", values["stage"], lang)
        values["stage"] = stage.lower() if lang == "fr" else stage
    if "legal_form" in values:
        values["legal_form"] = label(kb, "legal_forms", values["legal_form"], lang)
    if "commune" in values:
        commune = kb.territory.get(values["commune"])
        values["commune"] = commune.name if commune else ""
        key = AREA_KEYS.get(commune.epci) if commune else None
        values["area"] = cat.text(lang, key) if key else (commune.epci_name if commune else "")
    return to_plain(cat.text(lang, reason.key, **values))


def _localised(mapping: dict[str, str] | object, lang: str) -> str:
    if isinstance(mapping, dict):
        return str(mapping.get(lang) or mapping.get("fr") or "")
    return ""


def contact_lines(actor: Actor, lang: str, cat: Catalogue) -> list[Markup]:
    """How to reach the actor: each published person, phone, e-mail, website and address."""
    lines: list[Markup] = []
    seen: set[str] = set()
    for contact in actor.contacts:
        if contact.person:
            key = "card.person_role" if contact.role else "card.person"
            lines.append(cat.text(lang, key, person=contact.person, role=contact.role or ""))
        for kind, key in CONTACT_KEYS:
            value = getattr(contact, kind)
            if value and value not in seen:
                seen.add(value)
                lines.append(cat.text(lang, key, **{kind: value}))
    return lines or [cat.text(lang, "card.no_contact")]


def render_card(
    rec: Recommendation, rank: int, kb: KnowledgeBase, lang: str, today: date, cat: Catalogue
) -> Markup:
    """One recommendation as a Telegram HTML message."""
    actor = rec.actor
    title = cat.text(lang, "card.title", rank=rank, name=actor.name)
    if actor.acronym and fold(actor.acronym) not in fold(actor.name):
        title = Markup(title + cat.text(lang, "card.acronym", acronym=actor.acronym))
    reasons = " · ".join(reason_text(r, kb, lang, cat) for r in rec.reasons)
    offers = " · ".join(_localised(dict(o), lang) for o in actor.offers[:3])
    parts = [title]
    if actor.location:
        parts.append(cat.text(lang, "card.where", where=_localised(dict(actor.location), lang)))
    parts += [
        cat.text(lang, "card.why", reasons=reasons),
        cat.text(lang, "card.offers", offers=offers),
    ]
    if actor.conditions:
        parts.append(
            cat.text(lang, "card.conditions", conditions=_localised(dict(actor.conditions), lang))
        )
    parts.append(cat.text(lang, "card.contact"))
    parts.extend(contact_lines(actor, lang, cat))
    years = today.year - actor.info_date
    age_key = "card.age" if years > RECENT_YEARS else "card.age_recent"
    parts.append(cat.text(lang, age_key, year=actor.info_date, years=years))
    if actor.note:
        parts.append(cat.text(lang, "card.note", note=_localised(dict(actor.note), lang)))
    if rec.relaxed:
        parts.append(cat.text(lang, "card.relaxed"))
    return Markup("\n".join(parts))


def age_warning(recs: Sequence[Recommendation], lang: str, cat: Catalogue) -> Markup | None:
    """A warning about how old the shown information is, when any of it is."""
    years = sorted({r.actor.info_date for r in recs})
    if not years:
        return None
    if years[0] == years[-1]:
        return cat.text(lang, "results.age_warning_one", year=years[0])
    return cat.text(lang, "results.age_warning", oldest=years[0], newest=years[-1])


def reception_lines(actors: Iterable[Actor], lang: str, cat: Catalogue) -> list[Markup]:
    """Each reception place with its first published way to reach it."""
    lines: list[Markup] = []
    for actor in actors:
        contact = next(
            (v for v in (actor.first(k) for k in ("phone", "email", "website")) if v), None
        )
        if contact:
            lines.append(cat.text(lang, "results.general_item", name=actor.name, contact=contact))
    return lines


def intro(result: MatchResult, kb: KnowledgeBase, lang: str, cat: Catalogue) -> Markup:
    """The first line of the results: where the person is not covered, it says so honestly,
    naming the territories the base covers."""
    place = result.outside_area
    if place is not None:
        covered = kb.territory.covered(lang)
        name = place.name or cat.text(lang, "commune.outside", covered=covered)
        key = "results.outside" if result.recommendations else "results.outside_none"
        return cat.text(lang, key, place=name, covered=covered)
    return cat.text(lang, "results.intro" if result.recommendations else "results.none")


def render_result_text(
    result: MatchResult,
    kb: KnowledgeBase,
    lang: str,
    today: date,
    limit: int,
    cat: Catalogue | None = None,
) -> str:
    """The whole result as plain text (command line)."""
    cat = cat or bundled()
    if not result.understood:
        return to_plain(cat.text(lang, "understood.nothing"))
    recs = result.recommendations[:limit]
    blocks = [intro(result, kb, lang, cat)]
    blocks += [render_card(r, i, kb, lang, today, cat) for i, r in enumerate(recs, 1)]
    if result.unmet_needs:
        blocks.append(unmet_text(result, kb, lang, cat))
    warning = age_warning(recs, lang, cat)
    if warning:
        blocks.append(warning)
    return "\n\n".join(to_plain(b) for b in blocks)


def unmet_text(result: MatchResult, kb: KnowledgeBase, lang: str, cat: Catalogue) -> Markup:
    """For each unmet need, who takes it at a later stage and from when; « nothing fits »
    for the needs no stage opens."""
    lines: list[str] = []
    none: list[str] = []
    for need in result.unmet_needs:
        found = later_for(kb, result, need)
        if found is None:
            none.append(label(kb, "needs", need, lang))
            continue
        stage, actors = found
        names = format_list([a.name for a in actors], locale=lang)
        need_label, stage_label = label(kb, "needs", need, lang), label(kb, "stages", stage, lang)
        later = cat.text(lang, "results.later", need=need_label, names=names, stage=stage_label)
        lines.append(later)
    if none:
        lines.insert(0, cat.text(lang, "results.unmet", needs=", ".join(none)))
    return Markup("\n".join(lines))
