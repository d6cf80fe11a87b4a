/** Die App-Startseite, das Anmeldefenster, Abwesenheit, Feiertage und deine Daten. */
export default {
  intro:
    'Jede Führungskraft hat blinde Flecken: Gewohnheiten und Denkfehler, die das Umfeld bemerkt und man selbst kaum. Blindspot schickt dir an den Tagen deiner Wahl eine kurze Notiz zu einem davon, mit einer Frage zum Nachdenken.',
  unsubscribed: 'Du hast dich abgemeldet. Melde dich wieder an, wann immer du willst.',
  signUp: 'Anmelden',
  signedUp: '*Du bist angemeldet:* {{schedule}}.\n*Nächste Notiz:* {{next}}.',
  nextBeingPlanned: 'wird gerade geplant',
  changeSchedule: 'Zeitplan ändern',
  pause: 'Pausieren',
  resume: 'Fortsetzen',
  withSchedule: '*{{status}}* Dein Zeitplan: {{schedule}}.',
  unsubscribe: {
    button: 'Abmelden',
    title: 'Abmelden?',
    text: 'Du bekommst keine Notizen mehr. Du kannst dich jederzeit wieder anmelden.',
    confirm: 'Abmelden',
    deny: 'Weiter bekommen',
  },
  paused: {
    plain: 'Pausiert.',
    workspaceInactive: 'Pausiert, solange Blindspot aus diesem Workspace entfernt war.',
    slack: 'Pausiert, weil Slack deine Nachrichten nicht zustellen konnte.',
    admin: 'Auf deinen Wunsch von einem Workspace-Admin pausiert.',
    byYou: 'Du hast deine Notizen pausiert.',
    other: 'Pausiert ({{reason}}).',
  },
  digest: {
    on: '*Wochenrückblick:* an. Jeden Montag eine Zusammenfassung deiner letzten Woche.',
    off: '*Wochenrückblick:* aus. Schalte ihn ein für eine Zusammenfassung deiner Woche, jeden Montag.',
    turnOn: 'Einschalten',
    turnOff: 'Ausschalten',
  },
  adminsCanSee:
    '*Was deine Admins sehen können*\n' +
    '• Ob du angemeldet, pausiert oder abgemeldet bist, deine Tage und Uhrzeit und wann dich zuletzt eine Notiz erreicht hat.\n' +
    '• Summen über alle Führungskräfte, für den Workspace oder ein Team (eine Slack-Benutzergruppe), etwa wie viele eine Maßnahme geplant haben. Eine Gruppe mit weniger als k Führungskräften (k legt fest, wer Blindspot betreibt: 5, wenn nicht geändert, nie unter 3) erscheint nur als „weniger als k“, damit keine Zahl auf dich zeigt.\n' +
    '• Nie deine Maßnahmen, deine Antworten auf Erinnerungen oder deine Reflexionen: Die gehören nur dir.',
  away: {
    status:
      'Du bist bis {{date}} weg. Bis dahin keine Notizen und keine Erinnerungen; an dem Tag geht es weiter, mit einem Willkommen zurück.',
    saved:
      'Genieß die Zeit. {{status}} Wenn du früher zurück bist: „Fortsetzen“ auf deiner Startseite oder `/blindspot resume`.',
    usage:
      'Sag mir deinen ersten Tag zurück, als Jahr-Monat-Tag: `/blindspot away until 2027-01-04`. Bis dahin schicke ich nichts.',
    welcomeBack:
      'Willkommen zurück! Deine Notizen kommen wieder an deinen gewohnten Tagen, und mit der nächsten frage ich nach deinen offenen Maßnahmen.',
    pick: '*Ich bin weg bis …* Wähle deinen ersten Tag zurück: bis dahin keine Notizen und keine Erinnerungen.',
    pickAgain: '*An einem anderen Tag zurück?* Wähle deinen ersten Tag zurück.',
    firstDayBack: 'Erster Tag zurück',
  },
  holidays: {
    kept: '*Feiertage:* {{place}}. An diesen Feiertagen kommt keine Notiz.',
    none: '*Feiertage:* keine. Wähle dein Land (und deine Region), dann kommt an dessen Feiertagen keine Notiz.',
    noneOption: 'Keine: Notizen auch an Feiertagen',
    placeholder: 'Land eingeben',
    skipped: '*Ausgelassene Notizen*',
    skippedLine: '• {{date}}: {{reason}}',
    reasonAway: 'dein Slack-Status sagte, dass du weg bist',
    reasonHoliday: 'ein Feiertag ({{holiday}})',
    reasonHolidayUnnamed: 'ein Feiertag',
  },
  data: {
    section:
      '*Deine Daten:* Lade alles herunter, was Blindspot über dich speichert, oder lösche es endgültig.',
    download: 'Meine Daten herunterladen',
    delete: 'Meine Daten löschen',
    eraseTitle: 'Deine Daten löschen?',
    eraseSubmit: 'Alles löschen',
    eraseKeep: 'Behalten',
    eraseText:
      'Blindspot löscht deinen Zeitplan, die Notizen, die es dir geschickt hat, deine Maßnahmen, Antworten und Reflexionen und dein Feedback zu Themen. *Das lässt sich nicht rückgängig machen*, und kein Admin kann es wiederherstellen.\n\nErst eine Kopie? Schließe dieses Fenster und nutze `/blindspot export`.',
    failedTitle: 'Nichts wurde gelöscht',
    close: 'Schließen',
    exportReady:
      'Deine Blindspot-Daten sind bereit: <{{url}}|als JSON herunterladen>. Der Link funktioniert einmal, bis {{until}}. Wer ihn hat, kann deine Datei öffnen, also leite ihn nicht weiter.',
    erased:
      'Erledigt: Blindspot hat alles gelöscht, was es über dich gespeichert hatte. Du bekommst keine Notizen mehr. Wenn du sie wieder möchtest, tippe `/blindspot` und melde dich neu an.',
  },
  language: {
    section: '*Sprache:* die Sprache, in der Blindspot dir schreibt.',
    label: 'Sprache',
    hint: 'Wie in Slack: die Sprache deines Slack, wenn Blindspot sie spricht.',
    followSlack: 'Wie in Slack',
  },
  signup: {
    title: 'Blindspot',
    intro:
      'Blindspot schickt dir an den Tagen deiner Wahl eine kurze Notiz zu einem blinden Fleck im Führungsalltag, mit einer Frage zum Nachdenken. Lesezeit: eine Minute.',
    days: 'An welchen Tagen?',
    daysHint:
      'Ein Tag bevorzugt sein Thema, bis du alle Notizen dazu hattest. Du bekommst jede Notiz, bevor sich eine wiederholt.',
    leansTo: 'bevorzugt: {{theme}}',
    time: 'Um wie viel Uhr?',
    zone: 'In welcher Zeitzone?',
    zoneHint: 'Aus deinem Slack-Profil; tippe, um eine andere zu suchen.',
    skip: 'Themen auslassen',
    skipHint: 'Hake jedes Thema an, das du an keinem Tag bekommen möchtest.',
    holidays: 'Feiertage',
    holidaysHint: 'Dein Land (und deine Region): An dessen Feiertagen kommt keine Notiz.',
    unknownPlace:
      'Diesen Ort kennt Blindspot nicht. Gib dein Land noch einmal ein und wähle einen.',
    save: 'Speichern',
    signUp: 'Anmelden',
    cancel: 'Abbrechen',
  },
};
