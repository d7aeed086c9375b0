"""Messages of a genre that is no project request (a job advert, a classified ad, a complaint to
a bank, another public service, homework, a headline, spam, a CV, one's own job) get no
recommendation, though they carry need words; a request using the same words still does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from support.bundled import KB, assert_no_request, recommended

from bot.config import REPO_KNOWLEDGE
from bot.core.taxonomy import load_taxonomy
from bot.core.understanding import understand


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("Boulangerie recrute vendeuse H/F en CDI, poste à pourvoir de suite", "job-advert"),
        ("We're hiring a part-time bookkeeper, send your CV to the office", "job-advert"),
        ("A vendre : machine à coudre, très bon état, 80 €", "sale"),
        ("je conteste ce prélèvement sur mon compte, remboursez-moi", "personal-finance"),
        ("My insurance company refuses to cover the flood, I want a refund", "personal-finance"),
        ("Je voudrais un prêt pour passer mon permis de conduire", "personal-finance"),
        ("Can someone lend me money for driving lessons?", "personal-finance"),
        ("je cherche une aide pour payer mon loyer ce mois-ci", "personal-finance"),
        ("Je n'ai pas reçu mes allocations familiales de la CAF", "public-service"),
        ("Ma patronne refuse mes congés payés, l'association a-t-elle le droit ?", "own-job"),
        ("Exercice 2 : calculez le résultat net d'une coopérative", "schoolwork"),
        ("tu peux m'aider pour mon devoir de maths ?", "schoolwork"),
        ("can you help with my homework on co-ops", "schoolwork"),
        ("Les syndicats de la métropole appellent à la grève jeudi", "news"),
        ("Communiqué : le Département ouvre trois nouvelles crèches en 2027", "news"),
        ("« Les coopératives recrutent », titre Le Monde cette semaine", "news"),
        ("Headline: Co-ops create more jobs than ever in Occitanie", "news"),
        ("Félicitations, vous avez gagné un prêt à 0 %, cliquez ici", "spam"),
        ("sorry, wrong chat, that was for my flatmate", "not-for-us"),
        ("I'm self-employed and I need help with my tax return", "public-service"),
        ("Nous recrutons un animateur pour notre centre social, envoyez CV", "job-advert"),
        ("je fais un exposé sur les SCOP pour mon BTS, vous pouvez m'expliquer ?", "schoolwork"),
        ("Vente de meubles ce week-end au profit de notre asso", "public-notice"),
        ("Rejoignez-nous samedi pour la fête de la coopération !", "public-notice"),
    ],
)
def test_a_message_of_another_genre_gets_no_recommendation(text: str, genre: str) -> None:
    assert_no_request(text, genre)


@pytest.mark.parametrize(
    "text",
    [
        "Notre association veut recruter son premier salarié à Toulouse",
        "Mon conseiller bancaire demande une garantie pour le prêt de notre SCOP",
        "je vends mes confitures sur les marchés et je voudrais tester mon activité",
        "My bank wants a guarantor for our cooperative's first loan",
        "On va lancer une épicerie solidaire, les syndicats du quartier nous soutiennent",
        "I'm selling my pottery and want to try it out before registering",
        "On est une asso de parents, la CAF nous finance un peu mais on cherche d'autres fonds",
        "vends paniers de légumes bio, on voudrait se regrouper en coopérative",
        "We run a charity that pays driving lessons for jobseekers and need funding",
        "on gère une asso qui finance le permis de conduire des jeunes, il nous faut des sous",
        "je communique mal sur ma scop, qui peut m'aider à trouver des clients ?",
    ],
)
def test_a_plan_of_ones_own_keeps_the_request(text: str) -> None:
    found = understand(text, KB)
    assert found.genre is None and found.about_project
    assert recommended(text) != []


def test_a_message_of_another_genre_says_nothing_of_a_project_but_keeps_its_place() -> None:
    found = understand("Association recrute animateur H/F à Blagnac, CDI, financement BAFA", KB)
    assert (found.stage, found.legal_form, found.needs, found.similar) == (None, None, (), ())
    assert found.commune is not None and found.commune.insee == "31069"
    assert found.items() == ["commune=31069"]


def test_a_possessive_inside_the_genres_formula_is_no_structure_of_ones_own() -> None:
    assert understand("my insurance company never paid, I'll file a complaint", KB).genre


FORMULAS = sorted(
    (lang, formula)
    for term in KB.taxonomy.genres.values()
    for lang, formulas in term.by_lang.items()
    for formula in formulas
)
NEED_WORDS = {
    "fr": [
        "il faut un financement",
        "un local pour une association",
        "des conseils",
        "recrute",
        "une SCOP qui cherche des fonds",
    ],
    "en": ["funding for the charity", "an office", "advice", "hiring", "a co-op needs money"],
}
PLANS = {
    "fr": "je voudrais créer notre association et trouver un financement",
    "en": "we want to start our own cooperative and need funding",
}


@settings(max_examples=300, deadline=None)
@given(said=st.sampled_from(FORMULAS), data=st.data())
def test_a_formula_among_need_words_without_a_plan_gets_nothing(
    said: tuple[str, str], data: st.DataObject
) -> None:
    lang, formula = said
    needs = data.draw(st.lists(st.sampled_from(NEED_WORDS[lang]), min_size=1, max_size=3))
    assert recommended(f"{formula} {' '.join(needs)}") == []


@settings(max_examples=100, deadline=None)
@given(said=st.sampled_from(FORMULAS))
def test_a_plan_of_ones_own_beside_any_formula_is_answered(said: tuple[str, str]) -> None:
    lang, formula = said
    assert recommended(f"{formula} . {PLANS[lang]}") != []


def test_a_taxonomy_without_genres_loads_with_none(tmp_path: Path) -> None:
    data = yaml.safe_load((REPO_KNOWLEDGE / "taxonomy.yaml").read_text(encoding="utf-8"))
    del data["genres"]
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.genres == {} and taxonomy.needs.keys() == KB.taxonomy.needs.keys()


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("Chère clientèle, notre magasin sera fermé lundi pour inventaire", "public-notice"),
        ("Notre association recrute un animateur H/F, envoyez votre CV", "job-advert"),
        ("Soutenez notre coopérative : appel aux dons pour le nouveau local", "spam"),
        ("Thank you all for coming to our charity's gala, see you next year!", "public-notice"),
        ("La fête de la ressourcerie aura lieu dimanche, venez nombreux", "public-notice"),
        ("Fwd: agenda of the co-op's general meeting, see attachment", "forwarded"),
    ],
)
def test_a_structure_speaking_to_its_public_asks_nothing(text: str, genre: str) -> None:
    assert_no_request(text, genre)


@pytest.mark.parametrize(
    "text",
    [
        "Merci à tous ! On cherche maintenant un local pour notre asso à Toulouse",
        "Chers amis, je voudrais créer une épicerie solidaire, qui peut m'aider ?",
        "Our shop will be closed in May: we want to start a worker co-op in its place",
    ],
)
def test_a_person_speaking_beside_a_notice_is_still_answered(text: str) -> None:
    assert understand(text, KB).about_project
    assert recommended(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "je veux bosser pour moi mais avec une fiche de paie, pas tout seul",
        "I'd like to work for myself but keep a payslip",
    ],
)
def test_a_work_of_their_own_beside_a_job_formula_is_still_answered(text: str) -> None:
    assert understand(text, KB).genre is None
    assert recommended(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "On va embaucher notre première salariée dans l'asso, on n'a jamais fait de fiche de paie",
        "we're about to hire our charity's first employee, what goes on a payslip?",
    ],
)
def test_hiring_beside_a_job_formula_is_an_employer_asking(text: str) -> None:
    assert understand(text, KB).genre is None
    assert recommended(text) != []


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("j'ai été embauchée en CDI mais ma fiche de paie est fausse", "own-job"),
        ("on m'a recrutée il y a un mois et mon patron ne me paie pas", "own-job"),
    ],
)
def test_being_hired_oneself_is_still_ones_own_job(text: str, genre: str) -> None:
    assert_no_request(text, genre)


def test_the_public_genres_are_read_from_the_taxonomy(tmp_path: Path) -> None:
    data = yaml.safe_load((REPO_KNOWLEDGE / "taxonomy.yaml").read_text(encoding="utf-8"))
    assert {"job-advert", "public-notice"} <= KB.taxonomy.public
    assert "schoolwork" not in KB.taxonomy.public  # « mon exposé sur notre SCOP »: no sender
    for body in data["genres"].values():
        body.pop("public", None)
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_taxonomy(path).public == frozenset()
