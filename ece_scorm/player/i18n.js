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
      "earlierUnsentOne": "{n} record of your previous session never reached your learning platform and can no longer be sent. Your answers and reflections are kept in this activity.",
      "earlierUnsent": "{n} records of your previous session never reached your learning platform and can no longer be sent. Your answers and reflections are kept in this activity.",
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
      "counterOver": "{n} characters: only the first {max} can be kept to resume this module; your whole text is sent with your answer.",
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
      "saDate": "Date",
      "saName": "Name",
      "saRole": "Role (pillar)",
      "saPillars": "Pillars assessed",
      "saTeam": "Team code",
      "saNumber": "Assessment number",
      "saEarlier": "Earlier assessments kept",
      "saEarlierOne": "no. {n}, {date}",
      "saNameField": "Your name on the printout (optional, never saved or sent)",
      "saChanges": "Changed since {date}: {n} item(s)",
      "saNoChange": "No change since {date}.",
      "saChange": "{n}. {item} — {from} → {to}",
      "saNotes": "Notes",
      "saAlign": "Reflect and align: questions for the team discussion",
      "saNew": "Start a new assessment",
      "saNewConfirm": "Start assessment {n}? Your answers of {date} are kept so you can see what changed. Your written answers start empty: print this summary first to keep them.",
      "saNewYes": "Yes, start assessment {n}",
      "saNewNo": "Cancel",
      "saNewStarted": "Assessment {n} has started. Your answers of {date} are kept for comparison.",
      "saGuideBefore": "Before the session",
      "saGuideDuring": "During the session",
      "saGuideAfter": "After the session",
      "saGuidePrompts": "The questions to go through together",
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
      "previousStep": "Previous step",
      "nextStep": "Next step",
      "cardHint": "Turn the card over",
      "hotspots": "Points to explore in the figure",
      "scenarioChoose": "See what happens",
      "scenarioAgain": "Try another choice",
      "scenarioChoice": "Your choice: {choice}",
      "newWindow": "(opens in a new window)",
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
      "earlierUnsentOne": "{n} enregistrement de votre session précédente n’est jamais parvenu à votre plateforme d’apprentissage et ne peut plus être envoyé. Vos réponses et vos réflexions sont conservées dans cette activité.",
      "earlierUnsent": "{n} enregistrements de votre session précédente ne sont jamais parvenus à votre plateforme d’apprentissage et ne peuvent plus être envoyés. Vos réponses et vos réflexions sont conservées dans cette activité.",
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
      "counterOver": "{n} caractères : seuls les {max} premiers peuvent être conservés pour reprendre ce module ; votre texte complet est transmis avec votre réponse.",
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
      "saDate": "Date",
      "saName": "Nom",
      "saRole": "Rôle (pilier)",
      "saPillars": "Piliers évalués",
      "saTeam": "Code d’équipe",
      "saNumber": "Numéro de l’autoévaluation",
      "saEarlier": "Autoévaluations précédentes conservées",
      "saEarlierOne": "nº {n}, {date}",
      "saNameField": "Votre nom sur l’imprimé (facultatif, jamais enregistré ni transmis)",
      "saChanges": "Changements depuis le {date} : {n} énoncé(s)",
      "saNoChange": "Aucun changement depuis le {date}.",
      "saChange": "{n}. {item} — {from} → {to}",
      "saNotes": "Notes",
      "saAlign": "Réfléchir et s’harmoniser : questions pour la discussion d’équipe",
      "saNew": "Commencer une nouvelle autoévaluation",
      "saNewConfirm": "Commencer l’autoévaluation {n}? Vos réponses du {date} sont conservées pour voir ce qui a changé. Vos réponses écrites repartent à vide : imprimez d’abord ce sommaire pour les garder.",
      "saNewYes": "Oui, commencer l’autoévaluation {n}",
      "saNewNo": "Annuler",
      "saNewStarted": "L’autoévaluation {n} est commencée. Vos réponses du {date} sont conservées pour comparaison.",
      "saGuideBefore": "Avant la séance",
      "saGuideDuring": "Pendant la séance",
      "saGuideAfter": "Après la séance",
      "saGuidePrompts": "Les questions à parcourir ensemble",
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
      "previousStep": "Étape précédente",
      "nextStep": "Étape suivante",
      "cardHint": "Retourner la carte",
      "hotspots": "Points à explorer dans la figure",
      "scenarioChoose": "Voir ce qui se passe",
      "scenarioAgain": "Essayer un autre choix",
      "scenarioChoice": "Votre choix : {choice}",
      "newWindow": "(s’ouvre dans une nouvelle fenêtre)",
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
  // Language names and ISO 639-2 codes that LMSs put in a learner's language preference.
  var ALIASES = { fre: "fr", fra: "fr", french: "fr", "français": "fr", francais: "fr",
    eng: "en", english: "en", anglais: "en" };

  /** How well course language `lang` serves preference `tag` (both lower case): 3 the same tag, 2 one a prefix
   *  of the other ("fr" and "fr-ca"), 1 the same primary language ("fr-fr" and "fr-ca"), 0 none. */
  function closeness(lang, tag) {
    if (lang === tag) return 3;
    if (lang.indexOf(tag + "-") === 0 || tag.indexOf(lang + "-") === 0) return 2;
    return lang.split("-")[0] === tag.split("-")[0] ? 1 : 0;
  }

  /** Map a language preference ("fr-CA", "fre", "French", or a list like cmi5's "fr-CA,en-US;q=0.8") to one of
   *  `languages`, spelled as declared there. Preferences count in their order; for each, the closest course
   *  language wins: the same tag, then a shorter or longer one ("fr" <-> "fr-CA"), then another region. */
  i18n.match = function (pref, languages) {
    var prefs = String(pref || "").toLowerCase().split(",");
    var langs = (languages || []).map(function (l) { return String(l).toLowerCase().replace(/_/g, "-"); });
    for (var j = 0; j < prefs.length; j++) {
      var subtags = prefs[j].split(";")[0].trim().replace(/_/g, "-").split("-");
      subtags[0] = ALIASES[subtags[0]] || subtags[0];
      var tag = subtags.join("-"), best = -1, bestScore = 0;
      if (!/^[a-z]{2,8}(-[a-z0-9]{1,8})*$/.test(tag)) continue;
      for (var i = 0; i < langs.length; i++) {
        var score = closeness(langs[i], tag);
        if (score > bestScore) { bestScore = score; best = i; }
      }
      if (best >= 0) return languages[best];
    }
    return null;
  };
  ECE.t = i18n.t;
})(typeof window !== "undefined" ? (window.ECE = window.ECE || {}) : (globalThis.ECE = globalThis.ECE || {}));
