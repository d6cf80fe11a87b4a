/** L’onglet Accueil, la fenêtre d’inscription, les absences, les jours fériés et vos données. */
export default {
  intro:
    'Tout manager a des angles morts : des habitudes et des biais que son entourage remarque et que lui-même voit rarement. Blindspot vous envoie une courte note sur l’un d’eux, les jours que vous choisissez, avec une question pour y réfléchir.',
  unsubscribed: 'Votre inscription est arrêtée. Réinscrivez-vous quand vous le souhaitez.',
  signUp: 'S’inscrire',
  signedUp: '*Votre inscription :* {{schedule}}.\n*Prochaine note :* {{next}}.',
  nextBeingPlanned: 'en cours de planification',
  changeSchedule: 'Modifier le planning',
  pause: 'Mettre en pause',
  resume: 'Reprendre',
  withSchedule: '*{{status}}* Votre planning : {{schedule}}.',
  unsubscribe: {
    button: 'Se désinscrire',
    title: 'Se désinscrire ?',
    text: 'Vous ne recevrez plus de notes. Vous pourrez vous réinscrire à tout moment.',
    confirm: 'Se désinscrire',
    deny: 'Continuer à les recevoir',
  },
  paused: {
    plain: 'En pause.',
    workspaceInactive: 'En pause pendant que Blindspot était retiré de cet espace de travail.',
    slack: 'En pause, car Slack n’a pas pu remettre vos messages.',
    admin: 'Notes mises en pause par un administrateur de l’espace de travail, à votre demande.',
    byYou: 'Vous avez mis vos notes en pause.',
    other: 'En pause ({{reason}}).',
  },
  digest: {
    on: '*Bilan hebdomadaire :* activé. Chaque lundi, un résumé de votre semaine écoulée.',
    off: '*Bilan hebdomadaire :* désactivé. Activez-le pour recevoir chaque lundi un résumé de votre semaine.',
    turnOn: 'Activer',
    turnOff: 'Désactiver',
  },
  adminsCanSee:
    '*Ce que vos administrateurs peuvent voir*\n' +
    '• Si votre inscription est active, en pause ou arrêtée, vos jours et votre heure, et quand une note vous est parvenue pour la dernière fois.\n' +
    '• Des totaux sur l’ensemble des managers, pour l’espace de travail ou une équipe (un groupe d’utilisateurs Slack), par exemple combien ont planifié une action. Un groupe de moins de k managers (k est fixé par la personne qui gère Blindspot : 5 sauf changement, jamais moins de 3) n’apparaît que comme « moins de k », pour qu’aucun chiffre ne vous désigne.\n' +
    '• Jamais vos actions, vos réponses aux rappels ni vos réflexions : elles n’appartiennent qu’à vous.',
  away: {
    status:
      'Absence jusqu’au {{date}} : ni notes ni rappels d’ici là ; ils reprennent ce jour-là, avec un mot de bienvenue.',
    saved:
      'Profitez de votre absence. {{status}} Pour revenir plus tôt, utilisez Reprendre dans votre onglet Accueil ou `/blindspot resume`.',
    usage:
      'Indiquez-moi votre premier jour de retour, au format année-mois-jour : `/blindspot away until 2027-01-04`. Je n’envoie rien d’ici là.',
    welcomeBack:
      'Bon retour ! Vos notes reprennent vos jours habituels, et je vous demanderai où en sont vos actions ouvertes avec la prochaine.',
    pick: '*Absence jusqu’au …* Choisissez votre premier jour de retour : ni notes ni rappels d’ici là.',
    pickAgain: '*De retour un autre jour ?* Choisissez votre premier jour de retour.',
    firstDayBack: 'Premier jour de retour',
  },
  holidays: {
    kept: '*Jours fériés :* {{place}}. Aucune note n’arrive ses jours fériés.',
    none: '*Jours fériés :* aucun. Choisissez votre pays (et votre région) et aucune note n’arrivera ses jours fériés.',
    noneOption: 'Aucun : des notes aussi les jours fériés',
    placeholder: 'Saisissez votre pays',
    skipped: '*Notes non envoyées*',
    skippedLine: '• {{date}} : {{reason}}',
    reasonAway: 'votre statut Slack indiquait votre absence',
    reasonHoliday: 'un jour férié ({{holiday}})',
    reasonHolidayUnnamed: 'un jour férié',
  },
  data: {
    section:
      '*Vos données :* téléchargez tout ce que Blindspot conserve sur vous, ou supprimez-le définitivement.',
    download: 'Télécharger mes données',
    delete: 'Supprimer mes données',
    eraseTitle: 'Supprimer vos données ?',
    eraseSubmit: 'Tout supprimer',
    eraseKeep: 'Les garder',
    eraseText:
      'Blindspot supprimera votre planning, les notes qu’il vous a envoyées, vos actions, réponses et réflexions, et vos avis sur les sujets. *C’est irréversible*, et aucun administrateur ne pourra les récupérer.\n\nVous voulez d’abord une copie ? Fermez cette fenêtre et utilisez `/blindspot export`.',
    failedTitle: 'Rien n’a été supprimé',
    close: 'Fermer',
    exportReady:
      'Vos données Blindspot sont prêtes : <{{url}}|téléchargez-les en JSON>. Le lien fonctionne une fois, jusqu’au {{until}}. Toute personne qui l’a peut ouvrir votre fichier : ne le transférez pas.',
    erased:
      'C’est fait : Blindspot a supprimé tout ce qu’il conservait sur vous. Vous ne recevrez plus de notes. Si vous en voulez à nouveau, tapez `/blindspot` pour vous réinscrire.',
  },
  language: {
    section: '*Langue :* la langue dans laquelle Blindspot vous écrit.',
    label: 'Langue',
    hint: 'Comme dans Slack : la langue de votre Slack, si Blindspot la parle.',
    followSlack: 'Comme dans Slack',
  },
  signup: {
    title: 'Blindspot',
    intro:
      'Blindspot vous envoie une courte note sur un angle mort du management, avec une question pour y réfléchir, les jours que vous choisissez. Une minute de lecture.',
    days: 'Quels jours ?',
    daysHint:
      'Un jour privilégie son thème tant qu’il vous en reste des notes. Vous recevez chaque note avant qu’aucune ne revienne.',
    leansTo: 'privilégie : {{theme}}',
    time: 'À quelle heure ?',
    zone: 'Dans quel fuseau horaire ?',
    zoneHint: 'Celui de votre profil Slack ; tapez pour en chercher un autre.',
    skip: 'Thèmes à éviter',
    skipHint: 'Cochez les thèmes que vous préférez ne jamais recevoir.',
    holidays: 'Jours fériés',
    holidaysHint: 'Votre pays (et votre région) : aucune note n’arrive ses jours fériés.',
    unknownPlace:
      'Blindspot ne connaît pas ce lieu. Saisissez à nouveau votre pays et choisissez-en un.',
    save: 'Enregistrer',
    signUp: 'S’inscrire',
    cancel: 'Annuler',
  },
};
