"""The answers and the reasons as the structure reads them (lines in the e-mail's language)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.catalogue import Catalogue, to_plain
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import Recommendation
from bot.core.presenting import label, reason_text
from bot.handoff.mail import MAIL_LANGUAGE


def answer_lines(
    kb: KnowledgeBase,
    cat: Catalogue,
    stage: str | None,
    legal_form: str | None,
    needs: Sequence[str],
    place: str | None,
) -> tuple[str, ...]:
    """« Étape du projet : … », « Statut : … », « Besoins : … », « Commune : … », when given."""
    lang = MAIL_LANGUAGE
    values = {
        "handoff.mail.stage": label(kb, "stages", stage, lang) if stage else None,
        "handoff.mail.legal_form": label(kb, "legal_forms", legal_form, lang)
        if legal_form
        else None,
        "handoff.mail.needs": ", ".join(label(kb, "needs", n, lang) for n in needs) or None,
        "handoff.mail.commune": place,
    }
    return tuple(to_plain(cat.text(lang, k, value=v)) for k, v in values.items() if v)


def reason_lines(
    recommendation: Recommendation, kb: KnowledgeBase, cat: Catalogue
) -> tuple[str, ...]:
    """Why the bot chose this structure, one reason a line."""
    return tuple(reason_text(r, kb, MAIL_LANGUAGE, cat) for r in recommendation.reasons)
