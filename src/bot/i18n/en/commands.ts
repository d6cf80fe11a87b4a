/** `/blindspot` and its help, commands sent as a DM, and the short texts of blocks/messages.ts. */
export default {
  help: [
    '*Blindspot* sends you one short note about a management blind spot on the days you choose, with a question to reflect on.',
    '',
    '• `/blindspot`: sign up, or change your days and time',
    '• `/blindspot now`: a note now, if you have not had today’s',
    '• `/blindspot actions`: your open actions, to edit, mark done or delete',
    '• `/blindspot history`: what you have done, and your streak',
    '• `/blindspot topics`: the notes you have had, to read again',
    '• `/blindspot pause` and `/blindspot resume`: take a break, and come back',
    '• `/blindspot away until 2027-01-04` (or `pause until …`): away until that day, no notes or reminders till then',
    '• `/blindspot unsubscribe`: no more notes (you confirm first)',
    '• `/blindspot export`: a download link to everything Blindspot holds about you',
    '• `/blindspot delete my data`: delete all of it, for good (you confirm first)',
    '• `/blindspot help`: this message',
    '',
    'Your Home tab shows your schedule and when the next note comes.',
  ].join('\n'),
  unknown: "I don't know `/blindspot {{command}}`. {{help}}",
  exportSent: 'I have sent you a download link in a direct message. It works once, for 24 hours.',
  exportUnavailable:
    "Downloads aren't set up on this Blindspot yet, so I can't send you a link. Please ask whoever runs Blindspot for your workspace.",
  history: 'Your progress with Blindspot',
  openActions: 'Your open actions',
  tryAgain:
    'Sorry, Blindspot could not do that just now. Nothing was changed; please try again in a minute.',
  staleInput:
    'That button or form is out of date, so nothing was changed. Please use a newer message, or type `/blindspot`.',
  busy: 'Blindspot is busy right now. Nothing was changed; please try again in a minute.',
  confirmation: {
    signedUp: "You're signed up. You'll hear from me {{schedule}}.",
    updated: "Your schedule is updated. You'll hear from me {{schedule}}.",
    next: 'The next note comes {{next}}.',
    nextSoon: 'The next note comes soon.',
    sendNow: 'Send me one now',
  },
  sendNow: {
    queued: 'On its way.',
    alreadySent: "You've had today's note already. The next one comes on your schedule.",
  },
  paused: 'Paused. Nothing more until you resume, from your Home tab or with `/blindspot resume`.',
  resumed: 'Welcome back. Your notes resume on your schedule.',
  notRelevant:
    "Marked not relevant: you won't get this one again. Changed your mind? *Topics you hid*, on your Home tab, can restore it.",
  undoTooLate:
    'Sorry, it is too late to undo that: a deleted action can be put back for a minute only. To plan it again, press *Plan an action* on its note.',
  notSignedUp: 'You are not signed up yet. Type `/blindspot` to choose your days.',
  dm: {
    unchanged: 'Your action stays as it was.',
    tooLong: 'an action fits in 500 characters. Try the first step only.',
    lastNote: 'your last note',
  },
};
