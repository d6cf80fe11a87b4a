/** `/blindspot` et son aide, les commandes envoyées en message direct, les textes courts de blocks/messages.ts. */
export default {
  help: [
    '*Blindspot* vous envoie une courte note sur un angle mort du management les jours que vous choisissez, avec une question pour y réfléchir.',
    '',
    '• `/blindspot` : s’inscrire, ou changer vos jours et votre heure',
    '• `/blindspot now` : une note tout de suite, si vous n’avez pas encore eu celle du jour',
    '• `/blindspot actions` : vos actions ouvertes, pour les modifier, les cocher ou les supprimer',
    '• `/blindspot history` : ce que vous avez accompli, et votre série',
    '• `/blindspot topics` : les notes reçues, à relire',
    '• `/blindspot pause` et `/blindspot resume` : faire une pause, puis revenir',
    '• `/blindspot away until 2027-01-04` (ou `pause until …`) : une absence jusqu’à ce jour, ni notes ni rappels d’ici là',
    '• `/blindspot unsubscribe` : ne plus recevoir de notes (vous confirmez d’abord)',
    '• `/blindspot export` : un lien de téléchargement de tout ce que Blindspot conserve sur vous',
    '• `/blindspot delete my data` : tout supprimer, définitivement (vous confirmez d’abord)',
    '• `/blindspot help` : ce message',
    '',
    'Votre onglet Accueil montre votre planning et la date de la prochaine note.',
  ].join('\n'),
  unknown: 'Je ne connais pas `/blindspot {{command}}`. {{help}}',
  exportSent:
    'Je vous ai envoyé un lien de téléchargement en message direct. Il fonctionne une fois, pendant 24 heures.',
  exportUnavailable:
    'Les téléchargements ne sont pas encore configurés sur ce Blindspot : je ne peux pas vous envoyer de lien. Adressez-vous à la personne qui gère Blindspot pour votre espace de travail.',
  history: 'Vos progrès avec Blindspot',
  openActions: 'Vos actions ouvertes',
  tryAgain:
    'Désolé, Blindspot n’a pas pu le faire pour l’instant. Rien n’a été modifié ; réessayez dans une minute.',
  staleInput:
    'Ce bouton ou ce formulaire n’est plus à jour, rien n’a donc été modifié. Utilisez un message plus récent, ou tapez `/blindspot`.',
  busy: 'Blindspot est très sollicité en ce moment. Rien n’a été modifié ; réessayez dans une minute.',
  confirmation: {
    signedUp: 'Inscription confirmée. Vous aurez de mes nouvelles {{schedule}}.',
    updated: 'Votre planning est mis à jour. Vous aurez de mes nouvelles {{schedule}}.',
    next: 'La prochaine note arrive le {{next}}.',
    nextSoon: 'La prochaine note arrive bientôt.',
    sendNow: 'Envoyez-m’en une maintenant',
  },
  sendNow: {
    queued: 'C’est en route.',
    alreadySent: 'Vous avez déjà eu la note du jour. La suivante arrivera selon votre planning.',
  },
  paused:
    'En pause. Plus rien jusqu’à ce que vous repreniez, depuis votre onglet Accueil ou avec `/blindspot resume`.',
  resumed: 'Bon retour. Vos notes reprennent selon votre planning.',
  notRelevant:
    'Marqué comme non pertinent : vous ne recevrez plus celle-ci. Vous avez changé d’avis ? *Sujets masqués*, dans votre onglet Accueil, permet de la rétablir.',
  undoTooLate:
    'Désolé, il est trop tard pour annuler : une action supprimée ne peut être rétablie que pendant une minute. Pour la planifier à nouveau, appuyez sur *Planifier une action* sous sa note.',
  notSignedUp: 'Vous n’avez pas encore d’inscription. Tapez `/blindspot` pour choisir vos jours.',
  dm: {
    unchanged: 'Votre action reste telle quelle.',
    tooLong: 'une action tient en 500 caractères. Essayez avec la première étape seulement.',
    lastNote: 'votre dernière note',
  },
};
