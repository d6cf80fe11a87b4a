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
  refusals: {
    subscription_not_active:
      'Vos notes sont en pause ou arrêtées pour le moment : reprenez-les, ou réinscrivez-vous avec `/blindspot`, d’abord.',
    delivery_already_sent: 'Cette note est déjà partie.',
    no_topics: 'Il n’y a pas encore de sujets à envoyer. Vos admins peuvent en ajouter.',
    invalid_action_item:
      'Une action demande quelques mots, et 500 caractères au plus. Essayez avec la première étape seulement.',
    invalid_answer: 'Choisissez une date après aujourd’hui pour la prochaine question.',
    answer_locked:
      'Cette réponse ne peut plus être modifiée : une réponse plus récente l’a suivie.',
    invalid_reflection:
      'Cela ne convient pas : ce qui s’est passé tient en une ligne, 500 caractères au plus.',
    invalid_return_date:
      'Choisissez une date de retour après aujourd’hui et dans l’année, par exemple 2027-01-04.',
    unknown_holiday_country:
      'Je ne connais pas les jours fériés de ce lieu. Choisissez-en un dans la liste.',
    invalid_language:
      'J’écris en anglais, en allemand ou en français. Choisissez l’une de ces langues.',
    invalid_subscription: 'Ce planning ne convient pas : choisissez au moins un jour et une heure.',
    invalid_time_zone: 'Je ne connais pas ce fuseau horaire. Choisissez-en un dans la liste.',
    invalid_weekday: 'Choisissez des jours du lundi au dimanche.',
  },
};
