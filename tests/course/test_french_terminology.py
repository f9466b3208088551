"""One term per concept across the whole bundled course, in French and in English (learner QA, French review).

Every text of every course file is read with PyYAML's BaseLoader, independently of the project's loader. The
glossary below is the editorial decision; a variant anywhere (module, quiz, self-assessment) fails with where.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

SOURCE = Path(__file__).resolve().parents[2] / "course_source"
FILES = sorted(str(p.relative_to(SOURCE)) for p in SOURCE.rglob("*.yaml"))
NBSP = "\u00a0"

# variant (regex, case-insensitive) -> the term the course uses for that concept
FRENCH = {
    r"tokénisme|engagement symbolique": "participation symbolique",
    r"\bproches? aidants?\b": "personne(s) proche(s) aidante(s)",
    r"environnements? (propices|favorables)|milieux? favorables?": "milieux propices à l’engagement",
    r"\bpartenaires? patients?\b": "patients partenaires",
    r"partenaires? en soins essentiels|aidants? essentiels?": "partenaires de soins essentiels",
    r"test de connaissances|jeu-questionnaire": "vérification des connaissances",
    r"opportunité": "possibilité (d’amélioration)",
    r"\*\*(impliquer|engager|participer|mener|codiriger)\*\*": "Informer, Consulter, Faire participer, "
    "Collaborer, Diriger",
    r"\bcompléter\b|\bcomplétez\b": "remplir",
    r"vécu expérientiel": "expérience vécue",
    r"organismes «\W?souches|\bdes souches\b": "organismes « racines » (root organizations)",
    r"\bposer (des|une) actions?\b": "entreprendre une action",
    r"\bfeedback\b|\bagenda\b|\bmeeting\b|\bfocus\b": "rétroaction, ordre du jour, rencontre, accent",
}
ENGLISH = {
    r"engagement capable|engagement-capable-environment": "engagement-capable environment",
    r"essential care-?givers?|essential partners in care": "essential care partners",
    r"\bpartner patients?\b|patient-partners?\b": "patient partners",
    r"\bquiz\b": "knowledge check",
    r"\*\*(participate|engage|empower|co-?lead)\*\*": "Inform, Consult, Involve, Collaborate, Lead",
    r"\bstrong point\b|\bkey strength area\b": "key strength",
}
FIVE_WAYS = {
    "en": ["Inform", "Consult", "Involve", "Collaborate", "Lead"],
    "fr": ["Informer", "Consulter", "Faire participer", "Collaborer", "Diriger"],
}


def _texts(node, where=""):
    """Yield (where, {lang: text}) for every language map in a parsed course file."""
    if isinstance(node, dict):
        if set(node) == {"en", "fr"} and all(isinstance(v, str) for v in node.values()):
            yield where, node
            return
        for k, v in node.items():
            yield from _texts(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, f"{where}[{i}]")


def _load(rel: str):
    return yaml.load((SOURCE / rel).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@pytest.mark.parametrize("rel", FILES)
def test_one_term_per_concept(rel):
    found = []
    for where, text in _texts(_load(rel)):
        for lang, glossary in (("fr", FRENCH), ("en", ENGLISH)):
            for variant, term in glossary.items():
                m = re.search(variant, text[lang], re.I)
                if m:
                    found.append(f"{rel}{where} ({lang}): {m.group(0)!r} — the course says {term!r}")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("rel", FILES)
def test_french_spacing_before_currency_and_colon(rel):
    for where, text in _texts(_load(rel)):
        fr = text["fr"]
        assert not re.search(r"\d [$%]", fr), f"{rel}{where}: a non-breaking space goes before $ and %"
        assert not re.search(r"\S :", fr), f"{rel}{where}: a non-breaking space goes before a colon"
        assert "« " not in fr and " »" not in fr, f"{rel}{where}: guillemets take non-breaking spaces"
        assert NBSP not in text["en"], f"{rel}{where}: English text carries a non-breaking space"


def _item_lists(node):
    """Yield every `items` list of language maps in a parsed course file."""
    if isinstance(node, dict):
        items = node.get("items")
        if isinstance(items, list) and items and all(isinstance(x, dict) and "fr" in x for x in items):
            yield items
        for v in node.values():
            yield from _item_lists(v)
    elif isinstance(node, list):
        for v in node:
            yield from _item_lists(v)


def test_the_five_ways_have_the_same_names_wherever_they_are_listed():
    lists = 0
    for rel in FILES:
        doc = _load(rel)
        for items in _item_lists(doc):
            for lang, ways in FIVE_WAYS.items():
                heads = [m.group(1) if (m := re.match(r"\*\*([^*]+)\*\*", it[lang])) else "" for it in items]
                if heads and heads[0] == ways[0]:
                    lists += 1
                    assert heads[:5] == ways, f"{rel} ({lang}): {heads}"
        for where, text in _texts(doc):
            for lang, ways in FIVE_WAYS.items():
                flat = " ".join(text[lang].split())
                for run in re.findall(rf"{ways[0]}, {ways[1]}, [^.;)]*", flat, re.I):
                    expected = rf"{ways[0]}, {ways[1]}, {ways[2]}, {ways[3]},? (and |et |ou |or )?{ways[4]}"
                    assert re.match(expected, run, re.I), f"{rel}{where} ({lang}): {run}"
    assert lists >= 8, f"the ways are listed in the introduction and modules 2-3, in both languages ({lists})"
