"""The knowledge base → data·inclusion structures and services (one of each per actor), every
record checked with the schema's models before anything is written."""

from __future__ import annotations

import re
from typing import Any

from bot.core.diagnostics import say
from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.territory import DEFAULT_TERRITORY, NATIONAL_AREA, REGION_AREA
from bot.opendata.extract import ExtractError, models, problems
from bot.opendata.importing import EXTENSION
from bot.opendata.tables import (
    EPCI_CODES,
    HAUTE_GARONNE_CODE,
    NATIONAL_CODES,
    REGION_CODES,
    THEMATIQUES,
)

PRODUCER = "aiguillage"
CODES_BY_AREA = {
    **{slug: [code] for code, slug in EPCI_CODES.items()},
    NATIONAL_AREA: [NATIONAL_CODES[0]],
    REGION_AREA: list(REGION_CODES),
    DEFAULT_TERRITORY: [HAUTE_GARONNE_CODE],
}


def e164(phone: str | None) -> str | None:
    """A French number as ``+33…`` (the form the schema prefers)."""
    if phone is None:
        return None
    digits = re.sub(r"\D", "", phone)
    return f"+33{digits[1:]}" if digits.startswith("0") else f"+{digits}"


def url(website: str | None) -> str | None:
    """A website with its scheme (the schema wants a full URL)."""
    if website is None:
        return None
    return website if re.match(r"https?://", website) else f"http://{website}"


def thematiques(actor: Actor) -> list[str]:
    """The thematiques whose needs and stages the actor serves."""
    return sorted(
        value
        for value, theme in THEMATIQUES.items()
        if set(theme.needs) & set(actor.needs)
        and (not theme.stages or set(theme.stages) & actor.stages)
    )


def zone(actor: Actor) -> list[str]:
    """``zone_eligibilite``: the actor's communes, then the codes of its areas."""
    codes = sorted(actor.communes)
    for area in sorted(actor.areas):
        codes += [c for c in CODES_BY_AREA[area] if c not in codes]
    return codes


def extension(actor: Actor, kb: KnowledgeBase) -> dict[str, Any]:
    """What the schema cannot say: our id, kind, eligibility, needs, texts in English, every
    contact with its year and source, our sources (see :mod:`bot.opendata`)."""
    stages = [s for s in kb.taxonomy.stages if s in actor.stages]
    forms = [f for f in kb.taxonomy.legal_forms if f in actor.legal_forms]
    data: dict[str, Any] = {
        "id": actor.id,
        "kind": actor.kind,
        "acronym": actor.acronym,
        "names": list(actor.names),
        "stages": stages,
        "legal_forms": forms,
        "needs": {n: "primary" if s >= 1.0 else "secondary" for n, s in actor.needs.items()},
        "summary_en": actor.summary.get("en"),
        "offers": [dict(offer) for offer in actor.offers],
        "keywords": list(actor.keywords),
        "conditions_en": actor.conditions.get("en"),
        "contacts": [
            {k: v for k, v in vars(contact).items() if v is not None} for contact in actor.contacts
        ],
        "note": dict(actor.note),
        "situations": {lang: list(texts) for lang, texts in actor.situations.items()},
        "not_for": [
            {
                "legal_forms": [f for f in kb.taxonomy.legal_forms if f in rule.legal_forms],
                "stages": [s for s in kb.taxonomy.stages if s in rule.stages],
                "unless_needs": [n for n in kb.taxonomy.needs if n in rule.unless_needs],
                "without_staff": rule.without_staff,
                **rule.reason,
            }
            for rule in actor.not_for
        ],
        "members": [f for f in kb.taxonomy.legal_forms if f in actor.members],
        "reception": actor.reception,
        "location": dict(actor.location) | _located(actor),
        "source": list(actor.source),
    }
    data["not_for"] = [{k: v for k, v in r.items() if v} for r in data["not_for"]]
    return {k: v for k, v in data.items() if v not in (None, [], {}, False)}


def _located(actor: Actor) -> dict[str, list[str]]:
    """``location.communes``, when the actor has them."""
    return {"communes": sorted(actor.located_in)} if actor.located_in else {}


def records(actor: Actor, kb: KnowledgeBase) -> tuple[dict[str, Any], dict[str, Any]]:
    """The structure and the service that say one actor."""
    record_id = f"{PRODUCER}--{actor.id}"
    common = {
        "source": PRODUCER,
        "date_maj": f"{actor.info_date}-01-01",
        "telephone": e164(actor.first("phone")),
        "courriel": actor.first("email"),
        "adresse": actor.first("address"),
    }
    structure = {
        "id": record_id,
        "nom": actor.name,
        "description": actor.summary["fr"],
        "site_web": url(actor.first("website")),
        **common,
        EXTENSION: extension(actor, kb),
    }
    offers = "\n".join(f"- {offer['fr']}" for offer in actor.offers if "fr" in offer)
    service = {
        "id": record_id,
        "structure_id": record_id,
        "nom": actor.name,
        "description": f"{actor.summary['fr']}\n\n{offers}".strip(),
        "thematiques": thematiques(actor) or None,
        "zone_eligibilite": zone(actor),
        "conditions_acces": actor.conditions.get("fr"),
        "contact_nom_prenom": actor.first("person"),
        **common,
    }
    return (
        {k: v for k, v in structure.items() if v is not None},
        {k: v for k, v in service.items() if v is not None},
    )


def export(kb: KnowledgeBase) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every actor as data·inclusion records; :class:`ExtractError` naming each actor file and
    field the schema refuses."""
    from pydantic import ValidationError

    structure_model, service_model = models()
    structures: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    lines: list[str] = []
    for actor in kb.actors:
        unknown = sorted(set(actor.areas) - set(CODES_BY_AREA))
        if unknown:
            lines.append(
                f"{actor.file}: territory.areas: " + say("opendata.no_codes", areas=unknown)
            )
            continue
        structure, service = records(actor, kb)
        for kind, model, record, found in (
            ("structure", structure_model, structure, structures),
            ("service", service_model, service, services),
        ):
            try:
                model.model_validate(record)
            except ValidationError as error:
                lines.extend(problems(f"{actor.file}: data·inclusion {kind}", error))
            found.append(record)
    if lines:
        raise ExtractError(lines)
    return structures, services
