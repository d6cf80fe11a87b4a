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
};
