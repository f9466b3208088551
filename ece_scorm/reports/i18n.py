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
        "summary": "Summary",
        "strengths": "Shared strengths",
        "strengths_help": "Items with agreement of 50% or more, highest first. "
        "Agreement = (Yes + ½ Somewhat) ÷ (Yes + Somewhat + No).",
        "gaps": "Shared gaps",
        "gaps_help": "Items with agreement under 50%, lowest first: starting points for the team discussion.",
        "uncertain": "What the team does not know",
        "uncertain_help": "Items where at least a quarter of respondents answered “Don't know”.",
        "pillar": "Pillar",
        "item": "Item",
        "answers": "Answers",
        "agreement": "Agreement",
        "chart_of": "Responses per item, pillar",
        "table_of": "Data for the chart: responses per item, pillar",
        "plans": "Strengths, opportunities and first steps",
        "plans_help": "Each row is one respondent's own words, anonymous unless names were requested.",
        "respondent": "Respondent",
        "strength": "Key strength",
        "opportunity": "Opportunity",
        "first_step": "First step",
        "first_step_lead": "Who leads it / support needed",
        "compare": "What moved between the two periods",
        "compare_help": "Change in agreement (percentage points), largest first.",
        "before": "Before",
        "after": "After",
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
        "summary": "Sommaire",
        "strengths": "Forces communes",
        "strengths_help": "Énoncés dont l’accord atteint 50\u00a0% ou plus, du plus élevé au plus faible. "
        "Accord = (Oui + ½ En partie) ÷ (Oui + En partie + Non).",
        "gaps": "Lacunes communes",
        "gaps_help": "Énoncés dont l’accord est sous 50\u00a0%, du plus faible au plus élevé.",
        "uncertain": "Ce que l’équipe ne sait pas",
        "uncertain_help": "Énoncés auxquels au moins le quart des répondants ont répondu « Je ne sais pas ».",
        "pillar": "Pilier",
        "item": "Énoncé",
        "answers": "Réponses",
        "agreement": "Accord",
        "chart_of": "Réponses par énoncé, pilier",
        "table_of": "Données du graphique\u00a0: réponses par énoncé, pilier",
        "plans": "Forces, possibilités et premiers pas",
        "plans_help": "Chaque ligne reprend les mots d’un répondant, anonyme sauf si les noms sont demandés.",
        "respondent": "Répondant",
        "strength": "Force principale",
        "opportunity": "Possibilité d’amélioration",
        "first_step": "Premier pas",
        "first_step_lead": "Qui le mène / soutien requis",
        "compare": "Ce qui a changé entre les deux périodes",
        "compare_help": "Variation de l’accord (points de pourcentage), de la plus grande à la plus petite.",
        "before": "Avant",
        "after": "Après",
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
