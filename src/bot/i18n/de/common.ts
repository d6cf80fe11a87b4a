export default {
  schedule: {
    everyDay: 'jeden Tag',
    everyWeekday: 'jeden Werktag',
    weekly: {
      '1': 'montags',
      '2': 'dienstags',
      '3': 'mittwochs',
      '4': 'donnerstags',
      '5': 'freitags',
      '6': 'samstags',
      '7': 'sonntags',
    },
    at: '{{days}} um {{time}} ({{zone}})',
  },
  instant: '{{date}} um {{time}} ({{zone}})',
  families: {
    'clarity-and-direction': 'Klarheit und Richtung',
    'judging-people-fairly': 'Menschen fair beurteilen',
    'listening-and-communication': 'Zuhören und Kommunikation',
    'recognition-and-feedback': 'Anerkennung und Feedback',
    'team-climate-and-growth': 'Teamklima und Entwicklung',
    'decisions-under-uncertainty': 'Entscheiden bei Unsicherheit',
    'energy-and-attention': 'Deine Energie und Aufmerksamkeit',
  },
};
