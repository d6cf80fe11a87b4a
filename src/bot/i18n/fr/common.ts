export default {
  schedule: {
    everyDay: 'tous les jours',
    everyWeekday: 'chaque jour ouvré',
    weekly: {
      '1': 'le lundi',
      '2': 'le mardi',
      '3': 'le mercredi',
      '4': 'le jeudi',
      '5': 'le vendredi',
      '6': 'le samedi',
      '7': 'le dimanche',
    },
    at: '{{days}} à {{time}} ({{zone}})',
  },
  instant: '{{date}} à {{time}} ({{zone}})',
  families: {
    'clarity-and-direction': 'Clarté et direction',
    'judging-people-fairly': 'Juger les personnes équitablement',
    'listening-and-communication': 'Écoute et communication',
    'recognition-and-feedback': 'Reconnaissance et feedback',
    'team-climate-and-growth': 'Climat d’équipe et développement',
    'decisions-under-uncertainty': 'Décider dans l’incertitude',
    'energy-and-attention': 'Votre énergie et votre attention',
  },
};
