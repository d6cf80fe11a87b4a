/**
 * The note and what follows it: the note message, its rating, past notes, the answers to a
 * manager's own words (thread replies, "stop" as a DM, replies to reminders), the reflection
 * modal, and a modal's problem shown on top.
 */
export default {
  topic: {
    // The plain-text fallback: notifications, screen readers, clients without blocks.
    fallback: '{{title}}: {{summary}} Why it matters: {{why}} Ask yourself: {{question}}',
    whyItMatters: '*Why it matters:* {{text}}',
    readAll: 'Read all',
    readAllLabel: 'Read all of why it matters',
    whyInFull: '*Why “{{title}}” matters:* {{text}}',
    example: '_For example:_ {{text}}',
    thingsToTry: '*Things to try:*\n{{actions}}',
    askYourself: '*Ask yourself:* {{question}}',
    planned: '*You planned:*\n{{items}}',
    plannedItem: '• {{text}} (check back {{date}})',
    plannedMore_one: '…and {{count}} more in `/blindspot actions`',
    plannedMore_other: '…and {{count}} more in `/blindspot actions`',
    planAction: 'Plan an action',
    addAnother: 'Add another',
    notRelevant: 'Not relevant',
    pause: 'Pause',
    wasItUseful: 'Was this note useful to you?',
    readMore: 'Read more: {{reference}}',
  },
  rating: {
    useful: {
      button: 'Useful',
      chosen: '✓ Useful',
      rateLabel: 'Rate this note useful',
      chosenLabel: 'Useful: your rating of this note',
    },
    notForMe: {
      button: 'Not for me',
      chosen: '✓ Not for me',
      rateLabel: 'Rate this note not for me',
      chosenLabel: 'Not for me: your rating of this note',
    },
    thanks: 'Thanks for rating this note.',
  },
  pastNotes: {
    text: 'Your past notes',
    none: 'No notes yet: your first comes on your schedule.',
    heading: '*Your past notes*, newest first. Press *Read* to see one again.',
    headingRange:
      '*Your past notes* {{first}}–{{last}}, newest first. Press *Read* to see one again.',
    untitled: 'A note',
    read: 'Read',
    readLabel: 'Read “{{title}}”',
    newer: 'Newer',
    older: 'Older',
  },
  thread: {
    question: 'Save this as an action for “{{title}}”?',
    thisNote: 'this note',
    save: 'Save as an action',
    justAThought: 'It was just a thought',
    keptAsThought: 'Kept as a thought. Nothing saved.',
  },
  unsubscribe: {
    question:
      'Unsubscribe from Blindspot? You will get no more notes. You can sign up again any time.',
    confirm: 'Unsubscribe',
    keep: 'Keep them coming',
    done: 'Unsubscribed: no more notes. Type `/blindspot` whenever you want to sign up again.',
    kept: 'Still subscribed. Your notes keep coming on your schedule.',
  },
  reminderReply: {
    answers: {
      done: 'done',
      not_yet: 'not yet',
      dropped: 'dropped',
    },
    which: 'Which action is “{{answer}}” about?',
    markLabel: 'Mark “{{text}}” {{answer}}',
    recorded: '{{item}}: {{note}}',
    youPlanned: 'You planned: {{item}}.',
    notCaughtText:
      "I didn't catch that. Did you do it? Answer with a button, or reply done, not yet or drop it.",
    notCaught:
      "I didn't catch that. Answer with a button, or reply *done*, *not yet* or *drop it*.",
    allAnswered: 'That reminder is answered already. Your Home tab lists your open actions.',
  },
  reflection: {
    // Slack allows 24 characters in a modal's title and buttons.
    title: {
      done: 'Nicely done',
      partly: 'A step forward',
    },
    noticeTitle: 'How did it go?',
    loading: 'One moment: recording your answer…',
    already: 'That answer was recorded already. Nothing more to add here.',
    close: 'Close',
    save: 'Save',
    skip: 'Skip',
    whatHappened: 'What happened?',
    howUseful: 'How useful was this topic for you?',
    notAtAll: '1 (not at all)',
    very: '5 (very)',
  },
  modal: {
    notSaved: ':warning: *Not saved.* {{problem}}',
  },
};
