/* ECE player — interface strings (en, fr-CA). render.py reads the JSON between the markers, merges theme
 * overrides and writes the result to ECE_DATA.strings; these built-ins are the fallback. */
(function (ECE) {
  "use strict";
  var BUILTIN = /*ECE-STRINGS*/{
      "en": {
        "skip": "Skip to content",
        "language": "Language / Langue",
        "contents": "Contents",
        "tocLabel": "Table of contents",
        "pagerLabel": "Page navigation",
        "previous": "Previous",
        "next": "Next",
        "progressLabel": "Progress",
        "progressText": "Page {n} of {total} · {pct}% of pages seen",
        "stepOf": "Step {n} of {total}",
        "standalone": "No learning system found — your progress is saved in this browser only.",
        "storageUnavailable": "This browser does not allow saving: your progress will be lost when you close the page.",
        "check": "Check",
        "selectAll": "Select all that apply.",
        "correct": "Correct.",
        "incorrect": "Incorrect.",
        "markCorrect": "— correct",
        "markIncorrect": "— incorrect",
        "markMissed": "— correct answer you missed",
        "chooseFirst": "Choose an answer first.",
        "tryAgain": "Try again",
        "attemptOf": "Attempt {n} of {max}",
        "attempt": "Attempt {n}",
        "quizPassed": "Your score: {score}%. The pass mark is {pass}%: passed.",
        "quizRetry": "Your score: {score}%. The pass mark is {pass}%. You can try again.",
        "quizFailed": "Your score: {score}%. The pass mark is {pass}%. No attempts left.",
        "counter": "{n} of {max} characters",
        "transcript": "Transcript",
        "showTranscript": "Show transcript",
        "hideTranscript": "Hide transcript",
        "videoUnavailable": "The video cannot be played here. The transcript has all of its content.",
        "watchVideo": "Watch the video (opens in a new window)",
        "teamCode": "Team code (optional, given by your facilitator)",
        "teamCodeIs": "Team code: {code}",
        "primaryPillar": "Which pillar best fits your role?",
        "otherPillars": "Other pillars you want to assess (optional)",
        "summary": "Your summary",
        "print": "Print or save as PDF",
        "notAnswered": "Not answered",
        "reflections": "Reflections",
        "plan": "Your plan",
        "moduleComplete": "You have completed this module.",
        "modulePassed": "You have completed this module and passed, with a score of {score}%.",
        "moduleFailed": "You have finished this module but did not pass: your score is {score}%, the pass mark is {pass}% and no attempts are left.",
        "completionTitle": "Your progress in this module",
        "toComplete": "To complete this module:",
        "pagesLeft": "Visit the pages you have not seen yet:",
        "quizLeft": "Finish the knowledge check “{title}”.",
        "saLeft": "Go through the self-assessment to its summary.",
        "exit": "Exit",
        "closed": "You have left this module. You can now close this window.",
        "noJs": "The interactive player needs JavaScript.",
        "start": "Start",
        "resume": "Continue where you left off",
        "restart": "Start again",
        "welcomeBack": "Welcome back. You stopped at “{title}” (page {n} of {total}).",
        "keptLms": "Your learning system keeps your place and your answers between visits; starting again only takes you back to the first page.",
        "keptBrowser": "No learning system found: this browser keeps your place and your answers, on this device only.",
        "keptReview": "Review mode: you can look through the module; nothing is recorded.",
        "estimatedTime": "Estimated time: {time}",
        "minutes": "{n} min",
        "minutesRange": "{a}–{b} min",
        "pageCount": "{n} pages",
        "learn": "What you will learn",
        "audience": "Who it is for",
        "completeRule": "To complete this module",
        "ruleAllPages": "Visit every page.",
        "ruleQuiz": "Pass the knowledge check “{title}” ({pass}% to pass).",
        "endTitle": "End of the module",
        "recordedLms": "What was recorded: your learning system has your progress, your completion status, your score if there is one, and each of your answers.",
        "recordedBrowser": "What was recorded: nothing was sent to a learning system; your progress and answers are kept in this browser only.",
        "recordedReview": "Review mode: nothing was recorded.",
        "nextModule": "Next in the series: “{title}”, about {time}.",
        "openNext": "Open the next module",
        "nextInLms": "Open it from the course page of your learning system.",
        "seriesEnd": "This is the last module of the series.",
        "tocVisited": ", visited",
        "tocDone": ", done",
        "wholeModule": "Open the whole module as one page."
      },
      "fr": {
        "skip": "Passer au contenu",
        "language": "Langue / Language",
        "contents": "Table des matières",
        "tocLabel": "Table des matières",
        "pagerLabel": "Navigation entre les pages",
        "previous": "Précédent",
        "next": "Suivant",
        "progressLabel": "Progression",
        "progressText": "Page {n} sur {total} · {pct} % des pages consultées",
        "stepOf": "Étape {n} sur {total}",
        "standalone": "Aucun système d’apprentissage trouvé — votre progression est enregistrée dans ce navigateur seulement.",
        "storageUnavailable": "Ce navigateur ne permet pas l’enregistrement : votre progression sera perdue à la fermeture de la page.",
        "check": "Vérifier",
        "selectAll": "Sélectionnez toutes les réponses qui s’appliquent.",
        "correct": "Bonne réponse.",
        "incorrect": "Mauvaise réponse.",
        "markCorrect": "— bonne réponse",
        "markIncorrect": "— mauvaise réponse",
        "markMissed": "— bonne réponse non cochée",
        "chooseFirst": "Choisissez d’abord une réponse.",
        "tryAgain": "Réessayer",
        "attemptOf": "Tentative {n} sur {max}",
        "attempt": "Tentative {n}",
        "quizPassed": "Votre résultat : {score} %. Le seuil de réussite est de {pass} % : réussi.",
        "quizRetry": "Votre résultat : {score} %. Le seuil de réussite est de {pass} %. Vous pouvez réessayer.",
        "quizFailed": "Votre résultat : {score} %. Le seuil de réussite est de {pass} %. Aucune tentative restante.",
        "counter": "{n} caractères sur {max}",
        "transcript": "Transcription",
        "showTranscript": "Afficher la transcription",
        "hideTranscript": "Masquer la transcription",
        "videoUnavailable": "La vidéo ne peut pas être lue ici. La transcription en présente tout le contenu.",
        "watchVideo": "Regarder la vidéo (s’ouvre dans une nouvelle fenêtre)",
        "teamCode": "Code d’équipe (facultatif, fourni par votre animatrice ou animateur)",
        "teamCodeIs": "Code d’équipe : {code}",
        "primaryPillar": "Quel pilier correspond le mieux à votre rôle ?",
        "otherPillars": "Autres piliers à évaluer (facultatif)",
        "summary": "Votre sommaire",
        "print": "Imprimer ou enregistrer en PDF",
        "notAnswered": "Sans réponse",
        "reflections": "Réflexions",
        "plan": "Votre plan",
        "moduleComplete": "Vous avez terminé ce module.",
        "modulePassed": "Vous avez terminé ce module et l’avez réussi, avec un résultat de {score} %.",
        "moduleFailed": "Vous avez terminé ce module sans le réussir : votre résultat est de {score} %, le seuil de réussite est de {pass} % et il ne reste aucune tentative.",
        "completionTitle": "Votre progression dans ce module",
        "toComplete": "Pour terminer ce module :",
        "pagesLeft": "Consultez les pages que vous n’avez pas encore vues :",
        "quizLeft": "Terminez le questionnaire « {title} ».",
        "saLeft": "Parcourez l’autoévaluation jusqu’à son sommaire.",
        "exit": "Quitter",
        "closed": "Vous avez quitté ce module. Vous pouvez maintenant fermer cette fenêtre.",
        "noJs": "Le lecteur interactif a besoin de JavaScript.",
        "start": "Commencer",
        "resume": "Reprendre là où vous étiez",
        "restart": "Recommencer",
        "welcomeBack": "Bon retour. Vous en étiez à « {title} » (page {n} sur {total}).",
        "keptLms": "Votre système d’apprentissage conserve votre position et vos réponses d’une visite à l’autre ; recommencer vous ramène seulement à la première page.",
        "keptBrowser": "Aucun système d’apprentissage trouvé : ce navigateur conserve votre position et vos réponses, sur cet appareil seulement.",
        "keptReview": "Mode révision : vous pouvez parcourir le module ; rien n’est enregistré.",
        "estimatedTime": "Durée estimée : {time}",
        "minutes": "{n} min",
        "minutesRange": "{a} à {b} min",
        "pageCount": "{n} pages",
        "learn": "Ce que vous apprendrez",
        "audience": "À qui s’adresse ce module",
        "completeRule": "Pour terminer ce module",
        "ruleAllPages": "Consulter toutes les pages.",
        "ruleQuiz": "Réussir la vérification des connaissances « {title} » (note de passage : {pass} %).",
        "endTitle": "Fin du module",
        "recordedLms": "Ce qui a été enregistré : votre système d’apprentissage a reçu votre progression, votre statut d’achèvement, votre note s’il y en a une, et chacune de vos réponses.",
        "recordedBrowser": "Ce qui a été enregistré : rien n’a été envoyé à un système d’apprentissage ; votre progression et vos réponses sont conservées dans ce navigateur seulement.",
        "recordedReview": "Mode révision : rien n’a été enregistré.",
        "nextModule": "Prochain module de la série : « {title} », environ {time}.",
        "openNext": "Ouvrir le module suivant",
        "nextInLms": "Ouvrez-le depuis la page du cours de votre système d’apprentissage.",
        "seriesEnd": "C’est le dernier module de la série.",
        "tocVisited": ", consultée",
        "tocDone": ", terminée",
        "wholeModule": "Ouvrir le module entier sur une seule page."
      }
    }/*END-STRINGS*/;

  var i18n = ECE.i18n = { lang: "en", table: BUILTIN };

  /** Return the UI string `key` in the current language with {name} placeholders filled. */
  i18n.t = function (key, vars) { return i18n.tl(i18n.lang, key, vars); };

  /** Return the UI string `key` in language `lang` (for the copies of a screen in other languages). */
  i18n.tl = function (lang, key, vars) {
    var table = i18n.table[lang] || {}, s = table[key];
    if (s === undefined) s = (BUILTIN[lang] || BUILTIN.en)[key];
    if (s === undefined) s = BUILTIN.en[key] || key;
    return String(s).replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? vars[k] : m; });
  };

  /** Return a language map's text in `lang` (default: the current language; fallback: the first). */
  i18n.pick = function (map, lang) {
    if (map == null || typeof map === "string") return map || "";
    if (map[lang || i18n.lang] != null) return map[lang || i18n.lang];
    for (var k in map) return map[k];
    return "";
  };
  /** Map a language preference ("fr-CA", "fre", or a list like cmi5's "fr-CA,en-US") to one of `languages`. */
  i18n.match = function (pref, languages) {
    var tags = String(pref || "").toLowerCase().split(/\s*,\s*/);
    for (var j = 0; j < tags.length; j++) {
      var tag = tags[j].split(/[-_;]/)[0];
      tag = { fre: "fr", fra: "fr", eng: "en" }[tag] || tag;
      if (tag && languages.indexOf(tag) >= 0) return tag;
    }
    return null;
  };
  ECE.t = i18n.t;
})(typeof window !== "undefined" ? (window.ECE = window.ECE || {}) : (globalThis.ECE = globalThis.ECE || {}));
