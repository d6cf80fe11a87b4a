/** Die Notiz und was ihr folgt (siehe en/note.ts). Der Manager wird geduzt. */
export default {
  topic: {
    fallback: '{{title}}: {{summary}} Warum es zählt: {{why}} Frag dich: {{question}}',
    whyItMatters: '*Warum es zählt:* {{text}}',
    readAll: 'Alles lesen',
    readAllLabel: 'Alles lesen, warum es zählt',
    whyInFull: '*Warum „{{title}}“ zählt:* {{text}}',
    example: '_Zum Beispiel:_ {{text}}',
    thingsToTry: '*Zum Ausprobieren:*\n{{actions}}',
    askYourself: '*Frag dich:* {{question}}',
    planned: '*Du hast geplant:*\n{{items}}',
    plannedItem: '• {{text}} (Rückblick am {{date}})',
    plannedMore_one: '…und {{count}} weitere Maßnahme unter `/blindspot actions`',
    plannedMore_other: '…und {{count}} weitere Maßnahmen unter `/blindspot actions`',
    planAction: 'Maßnahme planen',
    addAnother: 'Noch eine planen',
    notRelevant: 'Nicht relevant',
    pause: 'Pausieren',
    wasItUseful: 'War diese Notiz nützlich für dich?',
    readMore: 'Mehr dazu: {{reference}}',
  },
  rating: {
    useful: {
      button: 'Nützlich',
      chosen: '✓ Nützlich',
      rateLabel: 'Diese Notiz als nützlich bewerten',
      chosenLabel: 'Nützlich: deine Bewertung dieser Notiz',
    },
    notForMe: {
      button: 'Nichts für mich',
      chosen: '✓ Nichts für mich',
      rateLabel: 'Diese Notiz als „nichts für mich“ bewerten',
      chosenLabel: 'Nichts für mich: deine Bewertung dieser Notiz',
    },
    thanks: 'Danke für deine Bewertung.',
  },
  pastNotes: {
    text: 'Deine bisherigen Notizen',
    none: 'Noch keine Notizen: Die erste kommt nach deinem Zeitplan.',
    heading:
      '*Deine bisherigen Notizen*, die neueste zuerst. Mit *Lesen* siehst du eine noch einmal.',
    headingRange:
      '*Deine bisherigen Notizen* {{first}}–{{last}}, die neueste zuerst. Mit *Lesen* siehst du eine noch einmal.',
    untitled: 'Eine Notiz',
    read: 'Lesen',
    readLabel: '„{{title}}“ lesen',
    newer: 'Neuere',
    older: 'Ältere',
  },
  thread: {
    question: 'Als Maßnahme für „{{title}}“ speichern?',
    thisNote: 'diese Notiz',
    save: 'Als Maßnahme speichern',
    justAThought: 'Nur ein Gedanke',
    keptAsThought: 'Als Gedanke behalten. Nichts gespeichert.',
  },
  unsubscribe: {
    question:
      'Blindspot abbestellen? Du bekommst dann keine Notizen mehr. Du kannst dich jederzeit wieder anmelden.',
    confirm: 'Abbestellen',
    keep: 'Weiter erhalten',
    done: 'Abbestellt: keine Notizen mehr. Gib `/blindspot` ein, wenn du dich wieder anmelden möchtest.',
    kept: 'Weiter angemeldet. Deine Notizen kommen wie geplant.',
  },
  reminderReply: {
    answers: {
      done: 'erledigt',
      not_yet: 'noch nicht',
      dropped: 'verworfen',
    },
    which: 'Für welche Maßnahme gilt „{{answer}}“?',
    markLabel: 'Mit „{{answer}}“ auf „{{text}}“ antworten',
    recorded: '{{item}}: {{note}}',
    youPlanned: 'Du hast geplant: {{item}}.',
    notCaughtText:
      'Das habe ich nicht verstanden. Hast du es gemacht? Antworte mit einem Button oder schreib erledigt, noch nicht oder verwerfen.',
    notCaught:
      'Das habe ich nicht verstanden. Antworte mit einem Button oder schreib *erledigt*, *noch nicht* oder *verwerfen*.',
    allAnswered:
      'Diese Erinnerung ist schon beantwortet. Deine offenen Maßnahmen stehen auf deiner Startseite.',
  },
  reflection: {
    title: {
      done: 'Gut gemacht',
      partly: 'Ein Schritt weiter',
    },
    noticeTitle: 'Wie lief es?',
    loading: 'Einen Moment: Deine Antwort wird gespeichert…',
    already: 'Diese Antwort ist schon gespeichert. Hier gibt es nichts mehr zu ergänzen.',
    close: 'Schließen',
    save: 'Speichern',
    skip: 'Überspringen',
    whatHappened: 'Was ist passiert?',
    howUseful: 'Wie nützlich war dieses Thema für dich?',
    notAtAll: '1 (gar nicht)',
    very: '5 (sehr)',
  },
  modal: {
    notSaved: ':warning: *Nicht gespeichert.* {{problem}}',
  },
};
