/** The App Home, the sign-up modal, away, public holidays and data rights. */
export default {
  intro:
    'Every manager has blind spots: habits and biases the people around them notice and they rarely do. Blindspot sends you one short note about one of them, on the days you choose, with a question to think about.',
  unsubscribed: 'You are unsubscribed. Sign up again whenever you like.',
  signUp: 'Sign up',
  signedUp: '*You are signed up:* {{schedule}}.\n*Next note:* {{next}}.',
  nextBeingPlanned: 'being planned',
  changeSchedule: 'Change schedule',
  pause: 'Pause',
  resume: 'Resume',
  withSchedule: '*{{status}}* Your schedule: {{schedule}}.',
  unsubscribe: {
    button: 'Unsubscribe',
    title: 'Unsubscribe?',
    text: 'You will get no more notes. You can sign up again any time.',
    confirm: 'Unsubscribe',
    deny: 'Keep them coming',
  },
  paused: {
    plain: 'Paused.',
    workspaceInactive: 'Paused while Blindspot was removed from this workspace.',
    slack: 'Paused because Slack could not deliver your messages.',
    admin: 'Paused by a workspace admin, as you asked.',
    byYou: 'You paused your notes.',
    other: 'Paused ({{reason}}).',
  },
  digest: {
    on: '*Weekly digest:* on. Each Monday, a summary of your last week.',
    off: '*Weekly digest:* off. Turn it on for a Monday summary of your last week.',
    turnOn: 'Turn on',
    turnOff: 'Turn off',
  },
  adminsCanSee:
    '*What your admins can see*\n' +
    '• Whether you are signed up, paused or unsubscribed, your days and time, and when a note last reached you.\n' +
    '• Totals across managers, for the workspace or a team (a Slack user group), such as how many planned an action. A group of fewer than k managers (k is set by whoever runs Blindspot: 5 unless changed, never below 3) is shown only as "fewer than k", so no number points to you.\n' +
    '• Never your action items, your answers to reminders or your reflections: those are yours alone.',
  away: {
    status:
      'You are away until {{date}}. No notes and no reminders until then; they start again that day, with a welcome back.',
    saved:
      'Enjoy your time away. {{status}} To come back sooner, use Resume on your Home tab or `/blindspot resume`.',
    usage:
      'Tell me the first day you are back, as year-month-day: `/blindspot away until 2027-01-04`. I send nothing until then.',
    welcomeBack:
      'Welcome back! Your notes start again on your usual days, and I will ask about your open actions on the next one.',
    pick: "*I'm away until …* Pick the first day you are back: no notes and no reminders until then.",
    pickAgain: '*Back on another day?* Pick the first day you are back.',
    firstDayBack: 'First day back',
  },
  holidays: {
    kept: '*Public holidays:* {{place}}. No note comes on its public holidays.',
    none: '*Public holidays:* none. Pick your country (and region) and no note comes on its public holidays.',
    noneOption: 'None: send notes on holidays too',
    placeholder: 'Type your country',
    skipped: '*Notes skipped*',
    skippedLine: '• {{date}}: {{reason}}',
    reasonAway: 'your Slack status said you were out',
    reasonHoliday: 'a public holiday ({{holiday}})',
    reasonHolidayUnnamed: 'a public holiday',
  },
  data: {
    section: '*Your data:* download everything Blindspot holds about you, or delete it for good.',
    download: 'Download my data',
    delete: 'Delete my data',
    eraseTitle: 'Delete your data?',
    eraseSubmit: 'Delete everything',
    eraseKeep: 'Keep it',
    eraseText:
      'Blindspot will delete your schedule, the notes it sent you, your actions, answers and reflections, and your feedback on topics. *This cannot be undone*, and no admin can bring it back.\n\nWant a copy first? Close this and use `/blindspot export`.',
    failedTitle: 'Nothing was deleted',
    close: 'Close',
    exportReady:
      "Your Blindspot data is ready: <{{url}}|download it as JSON>. The link works once, until {{until}}. Anyone with it can open your file, so don't forward it.",
    erased:
      'Done: Blindspot has deleted everything it held about you. You will get no more notes. If you ever want them again, type `/blindspot` to sign up afresh.',
  },
  language: {
    section: '*Language:* the language Blindspot writes to you in.',
    label: 'Language',
    hint: 'As in Slack: the language your Slack is set to, when Blindspot speaks it.',
    followSlack: 'As in Slack',
  },
  signup: {
    title: 'Blindspot',
    intro:
      'Blindspot sends you one short note about a management blind spot, with a question to think about, on the days you pick. It takes a minute to read.',
    days: 'Which days?',
    daysHint:
      'A day leans to its theme until you have had every note of it. You get every note before any comes again.',
    leansTo: 'leans to: {{theme}}',
    time: 'At what time?',
    zone: 'In which time zone?',
    zoneHint: 'From your Slack profile; type to search for another.',
    skip: 'Themes to skip',
    skipHint: 'Tick any theme you would rather not get, on any day.',
    holidays: 'Public holidays',
    holidaysHint: 'Your country (and region): no note comes on its public holidays.',
    unknownPlace: 'Blindspot does not know that place. Type your country again and pick one.',
    save: 'Save',
    signUp: 'Sign up',
    cancel: 'Cancel',
  },
};
