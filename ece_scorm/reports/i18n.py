"""Interface strings of the administrator reports, in English and Canadian French."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "sa_title": "Self-assessment: team view",
        "quiz_title": "Knowledge checks: item analysis",
        "completion_title": "Completion funnel",
        "generated": "Generated",
        "source": "Source",
        "source_lrs": "Learning Record Store",
        "source_moodle": "Moodle SCORM interactions report",
        "period": "Period",
        "all_time": "All dates",
        "team": "Team code",
        "all_teams": "All learners",
        "respondents": "Respondents",
        "no_data": "No answers match these filters.",
        "strengths": "Shared strengths",
        "gaps": "Shared gaps",
        "uncertain": "What the team does not know",
        "pillar": "Pillar",
        "item": "Item",
        "plans": "Strengths, opportunities and first steps",
        "strength": "Key strength",
        "opportunity": "Opportunity",
        "first_step": "First step",
        "first_step_lead": "Who leads it / support needed",
        "change": "Change",
        "pp": "pts",
        "module": "Module",
        "quiz": "Quiz",
        "question": "Question",
        "responses": "Responses",
        "learners": "Learners",
        "share_correct": "Correct (all attempts)",
        "share_first": "Correct at first attempt",
        "mean_attempts": "Mean attempts",
        "choice": "Choice",
        "chosen": "Chosen",
        "correct_mark": "correct answer",
        "correct_chart": "Share correct per question",
        "cohort": "Cohort",
        "everyone": "Everyone",
        "no_team": "(no team code)",
        "launched": "Launched",
        "completed": "Completed",
        "passed": "Passed",
        "failed": "Failed (not passed)",
        "funnel_chart": "Learners launched, completed and passed, module",
        "skip": "Skip to the report",
        "print_note": "Printable: use your browser's Print command.",
    },
    "fr": {
        "sa_title": "Autoévaluation\u00a0: vue d’équipe",
        "quiz_title": "Vérifications des connaissances\u00a0: analyse des questions",
        "completion_title": "Entonnoir d’achèvement",
        "generated": "Produit le",
        "source": "Source",
        "source_lrs": "Système de stockage des données d’apprentissage (LRS)",
        "source_moodle": "Rapport des interactions SCORM de Moodle",
        "period": "Période",
        "all_time": "Toutes les dates",
        "team": "Code d’équipe",
        "all_teams": "Tous les apprenants",
        "respondents": "Répondants",
        "no_data": "Aucune réponse ne correspond à ces filtres.",
        "strengths": "Forces communes",
        "gaps": "Lacunes communes",
        "uncertain": "Ce que l’équipe ne sait pas",
        "pillar": "Pilier",
        "item": "Énoncé",
        "plans": "Forces, possibilités et premiers pas",
        "strength": "Force principale",
        "opportunity": "Possibilité d’amélioration",
        "first_step": "Premier pas",
        "first_step_lead": "Qui le mène / soutien requis",
        "change": "Variation",
        "pp": "pts",
        "module": "Module",
        "quiz": "Questionnaire",
        "question": "Question",
        "responses": "Réponses",
        "learners": "Apprenants",
        "share_correct": "Bonnes réponses (toutes tentatives)",
        "share_first": "Bonnes réponses à la première tentative",
        "mean_attempts": "Tentatives en moyenne",
        "choice": "Choix",
        "chosen": "Choisi",
        "correct_mark": "bonne réponse",
        "correct_chart": "Part de bonnes réponses par question",
        "cohort": "Cohorte",
        "everyone": "Tout le monde",
        "no_team": "(sans code d’équipe)",
        "launched": "Lancé",
        "completed": "Terminé",
        "passed": "Réussi",
        "failed": "Échoué (non réussi)",
        "funnel_chart": "Apprenants ayant lancé, terminé et réussi, module",
        "skip": "Aller au rapport",
        "print_note": "Imprimable\u00a0: utilisez la commande Imprimer de votre navigateur.",
    },
}


# The reflect-and-align handout (`report self-assessment`). "{unknown}" is the scale's own label for Unknown,
# so one term is used throughout; "{min}" the privacy minimum.
HANDOUT: dict[str, dict[str, str]] = {
    "en": {
        "sa_title": "Reflect and align: team handout",
        "source_file": "Exported statements file",
        "administration": "Administration",
        "latest_each": "each member's latest",
        "who": "Who answered",
        "who_help": "Roles are the pillars each member answered.",
        "who_none": "No one has answered yet.",
        "several": "Several pillars",
        "members": "member(s)",
        "glance": "At a glance",
        "glance_help": "Each item appears in one list at most. "
        "Agreement = (Yes + ½ Somewhat) ÷ every answer, "
        "{unknown} included; lists are ranked by how sure that figure is given how many answered.",
        "strengths": "The team's strengths",
        "strengths_none": "No item has at least half agreement from {min} or more people.",
        "gaps": "Opportunities",
        "gaps_none": "No item falls under half agreement among {min} or more people.",
        "split": "Where the team disagrees most",
        "split_none": "No item splits the team (a quarter or more on each side of Yes and No).",
        "uncertain": "What many answer “{unknown}”",
        "uncertain_none": "No item was answered “{unknown}” by a quarter or more of the team.",
        "answers_n": "{n} answer(s)",
        "agreement_n": "agreement {p}",
        "plans": "Strengths, opportunities and first steps the team wrote",
        "plans_none": "No one has written a strength, an opportunity or a first step yet.",
        "member": "Member",
        "reflections": "Reflections shared",
        "reflections_none": "No one has written a reflection yet.",
        "pillar_reflections": "Reflections on this pillar",
        "pillar_reflections_none": "No one has written a reflection on this pillar yet.",
        "change": "Change since the previous administration",
        "change_admins": "Administration {a} → administration {b}: agreement per item, in percentage points.",
        "change_periods": "{a} → {b}: agreement per item, in percentage points.",
        "change_none": "There is no previous administration to compare with yet.",
        "unchanged": "{n} other item(s) unchanged or not comparable.",
        "items_title": "Items",
        "items_help": "Every item in the order of the self-assessment, "
        "numbered as on each member's printed plan.",
        "item_withheld": "Fewer than {min} answers: not shown.",
        "no_answers_item": "No answers.",
        "pillar_none": "No one answered this pillar's items.",
        "legend": "Bars",
        "privacy": "Privacy",
        "names_hidden": "Names are hidden: members are numbered in an order unrelated to who answered.",
        "names_shown": "Names are shown because they were asked for.",
        "withheld_all": "{n} respondent(s), fewer than {min}: "
        "the per-item answers, lists and texts are withheld.",
        "withheld_items": "{n} item(s) answered by fewer than {min} people show no breakdown.",
        "texts_dropped": "{n} text(s) were not kept (too much text for one handout); filter by --team.",
        "item_label": "Item",
        "no_text": "(no text: run the report with --source)",
    },
    "fr": {
        "sa_title": "Réfléchir et s’harmoniser\u00a0: document d’équipe",
        "source_file": "Fichier de déclarations exporté",
        "administration": "Passation",
        "latest_each": "la plus récente de chaque membre",
        "who": "Qui a répondu",
        "who_help": "Les rôles sont les piliers auxquels chaque membre a répondu.",
        "who_none": "Personne n’a encore répondu.",
        "several": "Plusieurs piliers",
        "members": "membre(s)",
        "glance": "En un coup d’œil",
        "glance_help": "Chaque énoncé figure dans une seule liste au plus. "
        "Accord = (Oui + ½ En partie) ÷ toutes les réponses, «\u00a0{unknown}\u00a0» compris; "
        "les listes sont classées selon la fiabilité de ce chiffre compte tenu du nombre de répondants.",
        "strengths": "Les forces de l’équipe",
        "strengths_none": "Aucun énoncé n’atteint la moitié d’accord chez {min} personnes ou plus.",
        "gaps": "Possibilités d’amélioration",
        "gaps_none": "Aucun énoncé n’est sous la moitié d’accord chez {min} personnes ou plus.",
        "split": "Là où l’équipe est la plus partagée",
        "split_none": "Aucun énoncé ne divise l’équipe (un quart ou plus de chaque côté entre Oui et Non).",
        "uncertain": "Ce à quoi plusieurs répondent «\u00a0{unknown}\u00a0»",
        "uncertain_none": "Aucun énoncé n’a reçu «\u00a0{unknown}\u00a0» d’un quart ou plus de l’équipe.",
        "answers_n": "{n}\u00a0réponse(s)",
        "agreement_n": "accord {p}",
        "plans": "Forces, possibilités et premiers pas écrits par l’équipe",
        "plans_none": "Personne n’a encore écrit de force, de possibilité ou de premier pas.",
        "member": "Membre",
        "reflections": "Réflexions partagées",
        "reflections_none": "Personne n’a encore écrit de réflexion.",
        "pillar_reflections": "Réflexions sur ce pilier",
        "pillar_reflections_none": "Personne n’a encore écrit de réflexion sur ce pilier.",
        "change": "Changement depuis la passation précédente",
        "change_admins": "Passation {a} → passation {b}\u00a0: accord par énoncé, en points de pourcentage.",
        "change_periods": "{a} → {b}\u00a0: accord par énoncé, en points de pourcentage.",
        "change_none": "Il n’y a pas encore de passation précédente à comparer.",
        "unchanged": "{n}\u00a0autre(s) énoncé(s) inchangé(s) ou non comparable(s).",
        "items_title": "Énoncés",
        "items_help": "Tous les énoncés dans l’ordre de l’autoévaluation, "
        "numérotés comme sur le plan imprimé "
        "de chaque membre.",
        "item_withheld": "Moins de {min}\u00a0réponses\u00a0: non affiché.",
        "no_answers_item": "Aucune réponse.",
        "pillar_none": "Personne n’a répondu aux énoncés de ce pilier.",
        "legend": "Barres",
        "privacy": "Confidentialité",
        "names_hidden": "Les noms sont masqués\u00a0: "
        "les membres sont numérotés dans un ordre sans lien avec qui a répondu.",
        "names_shown": "Les noms sont affichés parce qu’ils ont été demandés.",
        "withheld_all": "{n}\u00a0répondant(s), moins de {min}\u00a0: les réponses par énoncé, les listes et "
        "les textes ne sont pas affichés.",
        "withheld_items": "{n}\u00a0énoncé(s) ayant moins de {min}\u00a0répondants ne sont pas détaillés.",
        "texts_dropped": "{n}\u00a0texte(s) non conservé(s) (trop de texte pour un document); "
        "filtrez avec --team.",
        "item_label": "Énoncé",
        "no_text": "(sans texte\u00a0: lancez le rapport avec --source)",
    },
}
for _lang, _strings in HANDOUT.items():
    STRINGS[_lang].update(_strings)


def heading(label: str, value: str, lang: str) -> str:
    """Join a label and a value with the language's colon ('Pillar: X' / 'Pilier : X')."""
    return f"{label}\u00a0: {value}" if lang == "fr" else f"{label}: {value}"


def pick(text: object, lang: str) -> str:
    """Return the text of a language map in lang (falling back to English, then any language)."""
    if isinstance(text, str):
        return text
    if isinstance(text, dict) and text:
        return str(text.get(lang) or text.get("en") or next(iter(text.values())))
    return ""


def percent(value: float | None, lang: str) -> str:
    """Format a share as a whole percentage in the language's style ('42%' / '42 %')."""
    if value is None:
        return "–"
    number = f"{round(value * 100):d}"
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"
