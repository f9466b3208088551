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
      "noJs": "The interactive player needs JavaScript; the whole module is shown below as one page."
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
      "progressText": "Page {n} sur {total} · {pct}\u00a0% des pages consultées",
      "stepOf": "Étape {n} sur {total}",
      "standalone": "Aucun système d’apprentissage trouvé — votre progression est enregistrée dans ce navigateur seulement.",
      "storageUnavailable": "Ce navigateur ne permet pas l’enregistrement\u00a0: votre progression sera perdue à la fermeture de la page.",
      "check": "Vérifier",
      "selectAll": "Sélectionnez toutes les réponses qui s’appliquent.",
      "correct": "Bonne réponse.",
      "incorrect": "Mauvaise réponse.",
      "markCorrect": "—\u00a0bonne réponse",
      "markIncorrect": "—\u00a0mauvaise réponse",
      "markMissed": "—\u00a0bonne réponse non cochée",
      "chooseFirst": "Choisissez d’abord une réponse.",
      "tryAgain": "Réessayer",
      "attemptOf": "Tentative {n} sur {max}",
      "attempt": "Tentative {n}",
      "quizPassed": "Votre résultat\u00a0: {score}\u00a0%. Le seuil de réussite est de {pass}\u00a0%\u00a0: réussi.",
      "quizRetry": "Votre résultat\u00a0: {score}\u00a0%. Le seuil de réussite est de {pass}\u00a0%. Vous pouvez réessayer.",
      "quizFailed": "Votre résultat\u00a0: {score}\u00a0%. Le seuil de réussite est de {pass}\u00a0%. Aucune tentative restante.",
      "counter": "{n} caractères sur {max}",
      "counterOver": "{n} caractères\u00a0: seuls les {max} premiers peuvent être conservés pour reprendre ce module\u00a0; votre texte complet est transmis avec votre réponse.",
      "transcript": "Transcription",
      "showTranscript": "Afficher la transcription",
      "hideTranscript": "Masquer la transcription",
      "videoUnavailable": "La vidéo ne peut pas être lue ici. La transcription en présente tout le contenu.",
      "watchVideo": "Regarder la vidéo (s’ouvre dans une nouvelle fenêtre)",
      "teamCode": "Code d’équipe (facultatif, fourni par votre animatrice ou animateur)",
      "teamCodeIs": "Code d’équipe\u00a0: {code}",
      "primaryPillar": "Quel pilier correspond le mieux à votre rôle\u00a0?",
      "otherPillars": "Autres piliers à évaluer (facultatif)",
      "summary": "Votre sommaire",
      "print": "Imprimer ou enregistrer en PDF",
      "notAnswered": "Sans réponse",
      "reflections": "Réflexions",
      "plan": "Votre plan",
      "moduleComplete": "Vous avez terminé ce module.",
      "modulePassed": "Vous avez terminé ce module et l’avez réussi, avec un résultat de {score}\u00a0%.",
      "moduleFailed": "Vous avez terminé ce module sans le réussir\u00a0: votre résultat est de {score}\u00a0%, le seuil de réussite est de {pass}\u00a0% et il ne reste aucune tentative.",
      "completionTitle": "Votre progression dans ce module",
      "toComplete": "Pour terminer ce module\u00a0:",
      "pagesLeft": "Consultez les pages que vous n’avez pas encore vues\u00a0:",
      "quizLeft": "Terminez le questionnaire «\u00a0{title}\u00a0».",
      "saLeft": "Parcourez l’autoévaluation jusqu’à son sommaire.",
      "exit": "Quitter",
      "closed": "Vous avez quitté ce module. Vous pouvez maintenant fermer cette fenêtre.",
      "noJs": "Le lecteur interactif a besoin de JavaScript\u00a0; tout le module est présenté ci-dessous en une seule page."
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
