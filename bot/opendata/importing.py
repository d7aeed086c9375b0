"""A checked data·inclusion extract → knowledge-base records (plain data, as the YAML files hold).

One record per structure (duplicates merged first: same SIRET, or same name in the same
commune); its needs and stages come from the thematiques of its services through
:data:`~bot.opendata.tables.THEMATIQUES` (or from our extension, when the extract is one we
exported), its territory from their ``zone_eligibilite``. What cannot be mapped is reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.core.diagnostics import say
from bot.core.knowledge import EMAIL_RE, PHONE_RE
from bot.core.taxonomy import Taxonomy
from bot.core.territory import NATIONAL_AREA, REGION_AREA, Territory
from bot.core.text import fold
from bot.opendata.extract import Record
from bot.opendata.tables import (
    DEFAULT_KIND,
    EPCI_CODES,
    HAUTE_GARONNE_CODE,
    MODES,
    NATIONAL_CODES,
    REGION_CODES,
    THEMATIQUES,
)

EXTENSION = "aiguillage"
"""The field of a structure record that carries what the schema cannot say (see bot.opendata)."""
DOCUMENT_PREFIX = "data-inclusion--"
LIMITS = {"summary": 600, "offers": 300, "conditions": 1000, "note": 1000}


@dataclass
class Report:
    """What the import did not take as it came, one line each (counts for thematiques)."""

    merged: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)
    skipped_services: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Planned:
    """One record to write, with the extract records it comes from."""

    where: str
    data: dict[str, Any]
    structures: tuple[Record, ...]
    services: tuple[Record, ...]


@dataclass(frozen=True)
class Base:
    """What the mapping needs to know of the target knowledge base."""

    taxonomy: Taxonomy
    territory: Territory
    sources: frozenset[str]


def document_name(producer: str) -> str:
    """The file in ``sources/`` that keeps the records of one data·inclusion producer."""
    return f"{DOCUMENT_PREFIX}{slug(producer) or 'inconnu'}.json"


def slug(text: str) -> str:
    """Lower-case letters, digits and single dashes."""
    return "-".join(fold(text).split())


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word before ``limit`` characters, with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def phone(value: str | None, where: str, report: Report) -> str | None:
    """A phone as our records accept it (written as given when it is), else None, reported."""
    if not value:
        return None
    value = value.strip()
    if PHONE_RE.match(value):
        return value
    digits = re.sub(r"[^\d+]", "", value)
    if re.fullmatch(r"0\d{9}", digits):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if re.fullmatch(r"\+33\d{9}", digits):
        return digits
    report.dropped.append(f"{where}: telephone: " + say("opendata.phone", value=value))
    return None


def email(value: Any, where: str, report: Report) -> str | None:
    if not value:
        return None
    text = str(value)
    if EMAIL_RE.match(text):
        return text
    report.dropped.append(f"{where}: courriel: " + say("opendata.email", value=text))
    return None


def website(value: Any) -> str | None:
    """A URL as text, without the lone ``/`` the schema's parser adds."""
    if value is None:
        return None
    text = str(value)
    return text[:-1] if text.count("/") == 3 and text.endswith("/") else text


def address(model: Any) -> str | None:
    """Street, complement, postal code and commune on one line; None without a street."""
    if not model.adresse:
        return None
    town = " ".join(p for p in (model.code_postal, model.commune) if p)
    parts = [p.strip() for p in (model.adresse, model.complement_adresse, town) if p and p.strip()]
    return ", ".join(parts) or None


def contact(year: int, source: str, **values: str | None) -> dict[str, Any] | None:
    """One contact entry, or None when it gives no way to reach anyone."""
    found = {k: v for k, v in values.items() if v}
    if not set(found) - {"role"}:
        return None
    return {**found, "year": year, "source": source}


def zone(codes: Iterable[str], territory: Territory) -> tuple[set[str], set[str]]:
    """``zone_eligibilite`` → (communes, areas) of our territory; codes elsewhere are left."""
    codes = set(codes)
    communes = {c for c in codes if c in territory.communes}
    areas = {EPCI_CODES[c] for c in codes if c in EPCI_CODES and EPCI_CODES[c] in territory.epcis}
    if codes & set(NATIONAL_CODES):
        areas.add(NATIONAL_AREA)
    if codes >= set(REGION_CODES):
        areas.add(REGION_AREA)
    elif HAUTE_GARONNE_CODE in codes:
        areas.add("haute-garonne")
    return communes, areas


def strengthen(needs: dict[str, str], more: dict[str, str]) -> None:
    """Add ``more`` to ``needs``: a need primary anywhere stays primary."""
    for need, strength in more.items():
        if needs.get(need) != "primary":
            needs[need] = strength


def group(structures: list[Record], report: Report) -> list[tuple[Record, list[Record]]]:
    """Structures with their duplicates (same SIRET, or same name and commune): the most
    recently updated first."""
    owner: dict[str, int] = {}
    parent = list(range(len(structures)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for index, record in enumerate(structures):
        model = record.model
        place = model.code_insee or fold(model.commune or "")
        keys = [f"siret {model.siret}"] if model.siret else []
        if place:
            keys.append(f"name {fold(model.nom)} {place}")
        for key in keys:
            if key in owner and root(owner[key]) != root(index):
                other = structures[root(owner[key])]
                merged = say(
                    "opendata.same_siret" if key.startswith("siret") else "opendata.same_name",
                    number=other.number,
                    id=other.model.id,
                )
                report.merged.append(f"{record.where} ({model.id}) {merged}")
                parent[root(index)] = root(owner[key])
            owner.setdefault(key, index)
    groups: dict[int, list[Record]] = {}
    for index, record in enumerate(structures):
        groups.setdefault(root(index), []).append(record)
    ordered = [
        sorted(members, key=lambda r: (-r.model.date_maj.toordinal(), r.number))
        for members in groups.values()
    ]
    return [(members[0], members) for members in ordered]


class Mapper:
    """Maps structures (and their services) to records of one knowledge base."""

    def __init__(self, base: Base, report: Report) -> None:
        self.base = base
        self.report = report
        self.missing_sources: set[str] = set()

    def terms(self, service: Record) -> tuple[dict[str, str], set[str]] | None:
        """Needs and stages of a service's mapped thematiques; None when none is mapped."""
        needs: dict[str, str] = {}
        stages: set[str] = set()
        mapped = False
        for value in sorted(str(t.value) for t in service.model.thematiques or ()):
            theme = THEMATIQUES.get(value)
            if theme is None:
                self.report.unmapped[value] += 1
                continue
            mapped = True
            strengthen(needs, theme.needs)
            stages.update(theme.stages or self.base.taxonomy.stages)
        return (needs, stages) if mapped else None

    def record(self, members: list[Record], services: list[Record]) -> Planned | str:
        """The record for one structure and its duplicates, or why there is none."""
        main = members[0]
        extension = main.raw.get(EXTENSION)
        if extension is not None and not isinstance(extension, dict):
            return f"{EXTENSION}: " + say("opendata.object")
        ext: dict[str, Any] = extension or {}
        needs: dict[str, str] = {}
        stages: set[str] = set()
        communes: set[str] = set()
        areas: set[str] = set()
        used: list[Record] = []
        for service in services:
            terms = self.terms(service)
            codes = service.model.zone_eligibilite or []
            found = zone(codes, self.base.territory)
            why = (
                say("opendata.no_theme")
                if terms is None and not ext
                else say("opendata.no_zone")
                if not codes
                else say("opendata.zone_outside")
                if not any(found)
                else None
            )
            if why:
                self.report.skipped_services.append(f"{service.where} ({service.model.id}): {why}")
                continue
            communes |= found[0]
            areas |= found[1]
            used.append(service)
            service_needs, service_stages = terms or ({}, set())
            strengthen(needs, service_needs)
            stages |= service_stages
        if not used:
            return say("opendata.no_service")
        record_id = str(ext.get("id") or slug(main.model.id))
        if not record_id:
            return say("opendata.no_file_name")
        territory = filled({"communes": sorted(communes), "areas": sorted(areas)})
        data = self.data(record_id, members, used, ext, needs, stages, territory)
        where = f"{main.where} ({main.model.id})"
        return Planned(where, filled(data), tuple(members), tuple(used))

    def cited(self, names: list[str]) -> list[str]:
        """The documents of ``names`` this base holds (the others are reported)."""
        kept = [name for name in names if name in self.base.sources]
        self.missing_sources.update(set(names) - set(kept))
        return kept

    def data(
        self,
        record_id: str,
        members: list[Record],
        services: list[Record],
        ext: dict[str, Any],
        needs: dict[str, str],
        stages: set[str],
        territory: dict[str, list[str]],
    ) -> dict[str, Any]:
        """Every field of the record, in the order of the bundled files."""
        main = members[0].model
        documents = sorted({document_name(r.model.source) for r in [*members, *services]})
        summary = main.description or services[0].model.description
        cited = self.cited([str(s) for s in ext.get("source") or []])
        data: dict[str, Any] = {
            "id": record_id,
            "name": main.nom,
            "acronym": ext.get("acronym"),
            "names": ext.get("names"),
            "kind": ext.get("kind", DEFAULT_KIND),
            "summary": {"fr": shorten(summary, LIMITS["summary"])}
            | ({"en": ext["summary_en"]} if ext.get("summary_en") else {}),
            "offers": ext.get("offers")
            or [{"fr": shorten(s.model.nom, LIMITS["offers"])} for s in services],
            "stages": ext.get("stages") or [s for s in self.base.taxonomy.stages if s in stages],
            "legal_forms": ext.get("legal_forms") or list(self.base.taxonomy.legal_forms),
            "needs": ext.get("needs") or needs,
            "territory": territory,
            "location": ext.get("location") or ({"fr": main.commune} if main.commune else None),
            "keywords": ext.get("keywords"),
            "conditions": self.conditions(services, ext),
            "contacts": self.contacts(members, services, ext),
            "source": [*cited, *(d for d in documents if d not in cited)],
            "info_date": max(r.model.date_maj.year for r in [*members, *services]),
            "note": ext.get("note") or (None if ext else provenance(members)),
            "situations": ext.get("situations"),
            "not_for": ext.get("not_for"),
            "members": ext.get("members"),
            "reception": ext.get("reception"),
        }
        return data

    def conditions(self, services: list[Record], ext: dict[str, Any]) -> dict[str, str] | None:
        """Access conditions, fees and how to reach each service, in French (English from
        the extension)."""
        lines: list[str] = []
        for service in services:
            model = service.model
            if model.conditions_acces:
                lines.append(model.conditions_acces.strip())
            if model.frais:
                fee = "Gratuit" if str(model.frais.value) == "gratuit" else "Payant"
                lines.append(
                    f"{fee}"
                    + (f" : {model.frais_precisions}" if model.frais_precisions else "")
                    + "."
                )
            modes = sorted(MODES[str(m.value)] for m in model.modes_mobilisation or ())
            if modes:
                how = f"Pour « {model.nom} » : " + ", ".join(modes) + "."
                lines.append(
                    how
                    + (f" {model.mobilisation_precisions}" if model.mobilisation_precisions else "")
                )
        if not lines:
            return None
        found = {"fr": shorten("\n".join(lines), LIMITS["conditions"])}
        return found | ({"en": ext["conditions_en"]} if ext.get("conditions_en") else {})

    def contacts(
        self, members: list[Record], services: list[Record], ext: dict[str, Any]
    ) -> list[dict[str, Any]] | None:
        """The extension's contacts (sources checked), or one per structure and service."""
        if isinstance(ext.get("contacts"), list):
            entries = [dict(c) for c in ext["contacts"] if isinstance(c, dict)]
            for entry in entries:
                kept = self.cited([str(entry.get("source"))])
                entry["source"] = kept[0] if kept else document_name(members[0].model.source)
            return entries or None
        found: list[dict[str, Any]] = []
        for record in [*members, *services]:
            model = record.model
            is_service = hasattr(model, "structure_id")
            person = model.contact_nom_prenom if is_service else None
            built = contact(
                model.date_maj.year,
                document_name(model.source),
                person=person,
                role=f"contact du service « {model.nom} »" if person else None,
                phone=phone(model.telephone, record.where, self.report),
                email=email(model.courriel, record.where, self.report),
                website=website(model.lien_mobilisation if is_service else model.site_web),
                address=address(model),
            )
            if built is not None and built not in found:
                found.append(built)
        return found or None


def provenance(members: list[Record]) -> dict[str, str]:
    """Where the record comes from, shown with it: producer, date and link of each structure."""
    parts = [
        f"{m.model.source}, {m.model.date_maj.isoformat()}"
        + (f", {m.model.lien_source}" if m.model.lien_source else "")
        for m in members
    ]
    return {
        "fr": shorten("Fiche importée de data·inclusion (" + " ; ".join(parts) + ").", 1000),
        "en": shorten("Record imported from data·inclusion (" + "; ".join(parts) + ").", 1000),
    }


def filled(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without its empty fields."""
    return {k: v for k, v in data.items() if v not in (None, [], {}, False)}


def plan(
    structures: list[Record], services: list[Record], base: Base
) -> tuple[list[Planned], Report]:
    """The records an extract gives for ``base``, and what was left out or changed."""
    report = Report()
    by_structure: dict[str, list[Record]] = {}
    known = {r.model.id for r in structures}
    for service in services:
        if service.model.structure_id in known:
            by_structure.setdefault(service.model.structure_id, []).append(service)
        else:
            missing = say("opendata.no_structure", id=service.model.structure_id)
            report.skipped_services.append(f"{service.where} ({service.model.id}): {missing}")
    mapper = Mapper(base, report)
    planned: list[Planned] = []
    ids: dict[str, str] = {}
    for main, members in group(structures, report):
        own = [s for m in members for s in by_structure.get(m.model.id, [])]
        result = mapper.record(members, own)
        if isinstance(result, str):
            report.not_imported.append(f"{main.where} ({main.model.id}): {result}")
        elif result.data["id"] in ids:
            taken = say("opendata.id_taken", id=result.data["id"], other=ids[result.data["id"]])
            report.not_imported.append(f"{main.where} ({main.model.id}): {taken}")
        else:
            ids[result.data["id"]] = main.where
            planned.append(result)
    report.dropped.extend(
        say("opendata.no_source", name=name) for name in sorted(mapper.missing_sources)
    )
    return planned, report
