"""The fixed words of the reports, in French and English (French when a language is missing)."""

from __future__ import annotations

from datetime import date

PHRASES: dict[str, dict[str, str]] = {
    "title": {"fr": "Demande d'orientation ESS", "en": "ESS orientation demand"},
    "synthetic": {"fr": "Données synthétiques", "en": "Synthetic data"},
    "synthetic_note": {
        "fr": "Ce rapport porte sur des conversations fictives générées pour démonstration.",
        "en": "This report covers fictitious conversations generated for demonstration.",
    },
    "period": {"fr": "du {start} au {end}", "en": "from {start} to {end}"},
    "no_period": {"fr": "aucune conversation", "en": "no conversation"},
    "conversations": {"fr": "Conversations", "en": "Conversations"},
    "completed": {"fr": "terminées", "en": "completed"},
    "abandoned": {"fr": "abandonnées", "en": "abandoned"},
    "restarted": {"fr": "recommencées", "en": "restarted"},
    "in_progress": {"fr": "en cours", "en": "in progress"},
    "completion_rate": {"fr": "Taux d'achèvement", "en": "Completion rate"},
    "usefulness": {"fr": "Orientation jugée utile", "en": "Orientation found useful"},
    "usefulness_line": {
        "fr": "{useful} sur {given} avis ({rate})",
        "en": "{useful} of {given} answers ({rate})",
    },
    "no_feedback": {"fr": "aucun avis", "en": "no answer"},
    "needs": {"fr": "Besoins", "en": "Needs"},
    "stages": {"fr": "Stade du projet", "en": "Project stage"},
    "legal_forms": {"fr": "Forme juridique", "en": "Legal form"},
    "communes": {"fr": "Communes", "en": "Communes"},
    "sources": {"fr": "Sources", "en": "Sources"},
    "recommended": {"fr": "Structures recommandées", "en": "Recommended actors"},
    "unmet_needs": {"fr": "Besoins non couverts", "en": "Unmet needs"},
    "funnel": {"fr": "Parcours", "en": "Funnel"},
    "funnel_started": {"fr": "Commencées", "en": "Started"},
    "funnel_completed": {"fr": "Terminées", "en": "Completed"},
    "funnel_feedback": {"fr": "Avis donné", "en": "Feedback given"},
    "funnel_useful": {"fr": "Jugées utiles", "en": "Found useful"},
    "weekly": {"fr": "Conversations par semaine", "en": "Conversations per week"},
    "weekly_needs": {"fr": "Besoins par semaine", "en": "Needs per week"},
    "week": {"fr": "Semaine", "en": "Week"},
    "others": {"fr": "autres", "en": "others"},
    "not_stated": {"fr": "non précisé", "en": "not stated"},
    "direct": {"fr": "accès direct", "en": "direct"},
    "none": {"fr": "aucun", "en": "none"},
    "generated": {"fr": "Généré le {date}", "en": "Generated on {date}"},
    "outcomes": {"fr": "Suites des orientations", "en": "Outcomes"},
    "outcome_followups": {
        "fr": "Relances acceptées : {accepted} sur {offered} proposées, {answered} avec réponse,"
        " {reached} avec une structure jointe",
        "en": "Follow-ups accepted: {accepted} of {offered} offered, {answered} answered,"
        " {reached} with a structure reached",
    },
    "outcome_funnel_results": {"fr": "Résultats", "en": "Results"},
    "outcome_funnel_answered": {"fr": "Relance répondue", "en": "Follow-up answered"},
    "outcome_funnel_reached": {"fr": "Structure jointe", "en": "Structure reached"},
    "outcome_reach": {"fr": "Structures jointes", "en": "Structures reached"},
    "outcome_reach_item": {
        "fr": "{name} {rate} ({reached} jointe, {no_answer} sans réponse, {wrong} pas la bonne)",
        "en": "{name} {rate} ({reached} reached, {no_answer} no answer, {wrong} wrong)",
    },
    "outcome_uptake_item": {
        "fr": "{name} {accepted}/{answered}/{reached}",
        "en": "{name} {accepted}/{answered}/{reached}",
    },
    "outcome_by": {
        "fr": "Relances acceptées/répondues/jointes par {what}",
        "en": "Follow-ups accepted/answered/reached by {what}",
    },
    "outcome_verify": {
        "fr": "⚠ Contact à vérifier : {name} ({count} personnes n'ont pas pu la joindre"
        " en 60 jours)",
        "en": "⚠ Contact to check (contact à vérifier): {name} ({count} people could not reach"
        " it within 60 days)",
    },
    "outcome_reached": {"fr": "Jointe et aidé·e", "en": "Reached and helped"},
    "outcome_no_answer": {"fr": "Sans réponse", "en": "No answer"},
    "outcome_not_yet": {"fr": "Pas encore", "en": "Not yet"},
    "outcome_wrong": {"fr": "Pas la bonne", "en": "Wrong structure"},
    "outcome_rate": {"fr": "Taux de contact réussi", "en": "Reach rate"},
}


def phrase(key: str, lang: str = "fr", **values: object) -> str:
    """The phrase ``key`` in ``lang`` with ``values`` filled in."""
    texts = PHRASES[key]
    text = texts.get(lang) or texts["fr"]
    return text.format(**values) if values else text


def number(value: int, lang: str = "fr") -> str:
    """``12345`` as « 12 345 » in French (narrow no-break space), ``12,345`` otherwise."""
    return f"{value:,}".replace(",", "\u202f") if lang == "fr" else f"{value:,}"


def percent(rate: float | None, lang: str = "fr") -> str:
    """``0.675`` as « 68 % » (« — » when there is no rate)."""
    if rate is None:
        return "—"
    return f"{round(rate * 100)}\u00a0%" if lang == "fr" else f"{round(rate * 100)}%"


def day(value: date, lang: str = "fr") -> str:
    """A date as 31/01/2025 (French) or 2025-01-31."""
    return value.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
