/** `/blindspot` und seine Hilfe, Befehle als Direktnachricht, die kurzen Texte aus blocks/messages.ts. */
export default {
  help: [
    '*Blindspot* schickt dir an den Tagen deiner Wahl eine kurze Notiz zu einem blinden Fleck im Führungsalltag, mit einer Frage zum Nachdenken.',
    '',
    '• `/blindspot`: anmelden oder Tage und Uhrzeit ändern',
    '• `/blindspot now`: jetzt eine Notiz, wenn du die heutige noch nicht hattest',
    '• `/blindspot actions`: deine offenen Maßnahmen, zum Bearbeiten, Abhaken oder Löschen',
    '• `/blindspot history`: was du geschafft hast, und deine Serie',
    '• `/blindspot topics`: die Notizen, die du bekommen hast, zum Nachlesen',
    '• `/blindspot pause` und `/blindspot resume`: eine Pause machen und zurückkommen',
    '• `/blindspot away until 2027-01-04` (oder `pause until …`): weg bis zu diesem Tag, bis dahin keine Notizen oder Erinnerungen',
    '• `/blindspot unsubscribe`: keine Notizen mehr (du bestätigst vorher)',
    '• `/blindspot export`: ein Download-Link zu allem, was Blindspot über dich speichert',
    '• `/blindspot delete my data`: alles endgültig löschen (du bestätigst vorher)',
    '• `/blindspot help`: diese Nachricht',
    '',
    'Deine Startseite zeigt deinen Zeitplan und wann die nächste Notiz kommt.',
  ].join('\n'),
  unknown: '`/blindspot {{command}}` kenne ich nicht. {{help}}',
  exportSent:
    'Ich habe dir einen Download-Link als Direktnachricht geschickt. Er funktioniert einmal, 24 Stunden lang.',
  exportUnavailable:
    'Downloads sind bei diesem Blindspot noch nicht eingerichtet, deshalb kann ich dir keinen Link schicken. Frag bitte die Person, die Blindspot für euren Workspace betreibt.',
  history: 'Dein Fortschritt mit Blindspot',
  openActions: 'Deine offenen Maßnahmen',
  tryAgain:
    'Das hat gerade nicht geklappt. Nichts wurde geändert; versuch es bitte in einer Minute noch einmal.',
  staleInput:
    'Dieser Button oder dieses Formular ist veraltet, daher wurde nichts geändert. Nutze bitte eine neuere Nachricht oder tippe `/blindspot`.',
  busy: 'Blindspot ist gerade ausgelastet. Nichts wurde geändert; versuch es bitte in einer Minute noch einmal.',
  confirmation: {
    signedUp: 'Du bist angemeldet. Du hörst von mir {{schedule}}.',
    updated: 'Dein Zeitplan ist geändert. Du hörst von mir {{schedule}}.',
    next: 'Die nächste Notiz kommt am {{next}}.',
    nextSoon: 'Die nächste Notiz kommt bald.',
    sendNow: 'Schick mir jetzt eine',
  },
  sendNow: {
    queued: 'Ist unterwegs.',
    alreadySent: 'Du hattest die heutige Notiz schon. Die nächste kommt nach deinem Zeitplan.',
  },
  paused:
    'Pausiert. Nichts mehr, bis du fortsetzt: auf deiner Startseite oder mit `/blindspot resume`.',
  resumed: 'Willkommen zurück. Deine Notizen kommen wieder nach deinem Zeitplan.',
  notRelevant:
    'Als nicht relevant markiert: Diese bekommst du nicht wieder. Doch anders entschieden? Unter *Ausgeblendete Themen* auf deiner Startseite kannst du sie zurückholen.',
  undoTooLate:
    'Für „Rückgängig“ ist es leider zu spät: Eine gelöschte Maßnahme lässt sich nur eine Minute lang zurückholen. Um sie neu zu planen, tippe bei ihrer Notiz auf *Maßnahme planen*.',
  notSignedUp: 'Du bist noch nicht angemeldet. Tippe `/blindspot`, um deine Tage zu wählen.',
  dm: {
    unchanged: 'Deine Maßnahme bleibt, wie sie war.',
    tooLong: 'eine Maßnahme hat höchstens 500 Zeichen. Versuch es nur mit dem ersten Schritt.',
    lastNote: 'deine letzte Notiz',
  },
};
