/** Words many surfaces share: schedules, families, and the answers to failures. */
export default {
  schedule: {
    everyDay: 'every day',
    everyWeekday: 'every weekday',
    // One chosen day, as a habit: 'Mondays'. Keyed by ISO weekday.
    weekly: {
      '1': 'Mondays',
      '2': 'Tuesdays',
      '3': 'Wednesdays',
      '4': 'Thursdays',
      '5': 'Fridays',
      '6': 'Saturdays',
      '7': 'Sundays',
    },
    at: '{{days}} at {{time}} ({{zone}})',
  },
  instant: '{{date}} at {{time}} ({{zone}})',
  families: {
    'clarity-and-direction': 'Clarity and direction',
    'judging-people-fairly': 'Judging people fairly',
    'listening-and-communication': 'Listening and communication',
    'recognition-and-feedback': 'Recognition and feedback',
    'team-climate-and-growth': 'Team climate and growth',
    'decisions-under-uncertainty': 'Decisions under uncertainty',
    'energy-and-attention': 'Your energy and attention',
  },
  // The API's refusals a manager can meet, by code (listeners/refusals.ts).
  refusals: {
    subscription_not_active:
      'Your notes are paused or stopped right now: resume them, or sign up again with `/blindspot`, first.',
    delivery_already_sent: 'That note has already gone out.',
    no_topics: 'There are no topics to send yet. Your admins can add some.',
    invalid_action_item:
      'An action needs some words, and at most 500 characters. Try the first step only.',
    invalid_answer: 'Pick a date after today to be asked again.',
    answer_locked: "That answer can't be changed any more: a later answer has followed it.",
    invalid_reflection: "That didn't fit: what happened fits in one line, 500 characters at most.",
    invalid_return_date: 'Pick a return date after today and within a year, such as 2027-01-04.',
    unknown_holiday_country: "I don't know that place's public holidays. Pick one from the list.",
    invalid_language: 'I can write in English, German or French. Pick one of those.',
    invalid_subscription: "That schedule didn't work: pick at least one day and a time.",
    invalid_time_zone: "I don't know that time zone. Pick one from the list.",
    invalid_weekday: 'Pick days from Monday to Sunday.',
  },
};
