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
  refusals: {
    subscription_not_active:
      'Deine Notizen sind gerade pausiert oder beendet: Setze sie zuerst fort oder melde dich mit `/blindspot` neu an.',
    delivery_already_sent: 'Diese Notiz ist schon verschickt.',
    no_topics: 'Es gibt noch keine Themen zum Verschicken. Deine Admins können welche anlegen.',
    invalid_action_item:
      'Eine Maßnahme braucht ein paar Worte und höchstens 500 Zeichen. Versuch es nur mit dem ersten Schritt.',
    invalid_answer: 'Wähle ein Datum nach heute, an dem ich wieder fragen soll.',
    answer_locked:
      'Diese Antwort lässt sich nicht mehr ändern: Auf sie ist schon eine spätere gefolgt.',
    invalid_reflection:
      'Das passt nicht: Was passiert ist, passt in eine Zeile, höchstens 500 Zeichen.',
    invalid_return_date:
      'Wähle ein Rückkehrdatum nach heute und innerhalb eines Jahres, etwa 2027-01-04.',
    unknown_holiday_country:
      'Die Feiertage dieses Orts kenne ich nicht. Wähle einen aus der Liste.',
    invalid_language:
      'Ich schreibe auf Englisch, Deutsch oder Französisch. Wähle eine dieser Sprachen.',
    invalid_subscription:
      'Dieser Zeitplan geht nicht: Wähle mindestens einen Tag und eine Uhrzeit.',
    invalid_time_zone: 'Diese Zeitzone kenne ich nicht. Wähle eine aus der Liste.',
    invalid_weekday: 'Wähle Tage von Montag bis Sonntag.',
  },
};
