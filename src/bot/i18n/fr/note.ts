/** La note et ce qui la suit (voir en/note.ts). Le manager est vouvoyé. */
export default {
  topic: {
    fallback:
      '{{title}} : {{summary}} Pourquoi c’est important : {{why}} Demandez-vous : {{question}}',
    whyItMatters: '*Pourquoi c’est important :* {{text}}',
    readAll: 'Lire la suite',
    readAllLabel: 'Lire en entier pourquoi c’est important',
    whyInFull: '*Pourquoi « {{title}} » est important :* {{text}}',
    example: '_Par exemple :_ {{text}}',
    thingsToTry: '*À essayer :*\n{{actions}}',
    askYourself: '*Demandez-vous :* {{question}}',
    planned: '*Vous avez prévu :*\n{{items}}',
    plannedItem: '• {{text}} (bilan le {{date}})',
    plannedMore_one: '…et {{count}} autre dans `/blindspot actions`',
    plannedMore_many: '…et {{count}} autres dans `/blindspot actions`',
    plannedMore_other: '…et {{count}} autres dans `/blindspot actions`',
    planAction: 'Planifier une action',
    addAnother: 'En planifier une autre',
    notRelevant: 'Pas pertinent',
    pause: 'Mettre en pause',
    wasItUseful: 'Cette note vous a-t-elle été utile ?',
    readMore: 'En savoir plus : {{reference}}',
  },
  rating: {
    useful: {
      button: 'Utile',
      chosen: '✓ Utile',
      rateLabel: 'Indiquer que cette note vous est utile',
      chosenLabel: 'Utile : votre avis sur cette note',
    },
    notForMe: {
      button: 'Pas pour moi',
      chosen: '✓ Pas pour moi',
      rateLabel: 'Indiquer que cette note n’est pas pour vous',
      chosenLabel: 'Pas pour moi : votre avis sur cette note',
    },
    thanks: 'Merci pour votre avis sur cette note.',
  },
  pastNotes: {
    text: 'Vos notes précédentes',
    none: 'Pas encore de note : la première arrivera selon votre planning.',
    heading:
      '*Vos notes précédentes*, de la plus récente à la plus ancienne. Cliquez sur *Lire* pour en revoir une.',
    headingRange:
      '*Vos notes précédentes* {{first}}–{{last}}, de la plus récente à la plus ancienne. Cliquez sur *Lire* pour en revoir une.',
    untitled: 'Une note',
    read: 'Lire',
    readLabel: 'Lire « {{title}} »',
    newer: 'Plus récentes',
    older: 'Plus anciennes',
  },
  thread: {
    question: 'Enregistrer ceci comme action pour « {{title}} » ?',
    thisNote: 'cette note',
    save: 'Enregistrer comme action',
    justAThought: 'Ce n’était qu’une idée',
    keptAsThought: 'Gardé comme simple idée. Rien n’a été enregistré.',
  },
  unsubscribe: {
    question:
      'Vous désabonner de Blindspot ? Vous ne recevrez plus de notes. Vous pourrez vous réinscrire à tout moment.',
    confirm: 'Me désabonner',
    keep: 'Continuer à les recevoir',
    done: 'Désabonnement effectué : plus de notes. Tapez `/blindspot` quand vous voudrez vous réinscrire.',
    kept: 'Votre abonnement continue : vos notes arrivent toujours selon votre planning.',
  },
  reminderReply: {
    answers: {
      done: 'fait',
      not_yet: 'pas encore',
      dropped: 'abandonné',
    },
    which: 'À quelle action se rapporte « {{answer}} » ?',
    markLabel: 'Répondre « {{answer}} » pour « {{text}} »',
    recorded: '{{item}} : {{note}}',
    youPlanned: 'Vous aviez prévu : {{item}}.',
    notCaughtText:
      'Je n’ai pas compris. L’avez-vous fait ? Répondez avec un bouton, ou écrivez fait, pas encore ou abandonner.',
    notCaught:
      'Je n’ai pas compris. Répondez avec un bouton, ou écrivez *fait*, *pas encore* ou *abandonner*.',
    allAnswered: 'Ce rappel a déjà une réponse. Votre onglet Accueil liste vos actions en cours.',
  },
  reflection: {
    title: {
      done: 'Bien joué',
      partly: 'Un pas en avant',
    },
    noticeTitle: 'Comment ça s’est passé ?',
    loading: 'Un instant : j’enregistre votre réponse…',
    already: 'Cette réponse est déjà enregistrée. Rien à ajouter ici.',
    close: 'Fermer',
    save: 'Enregistrer',
    skip: 'Passer',
    whatHappened: 'Que s’est-il passé ?',
    howUseful: 'Ce sujet vous a-t-il été utile ?',
    notAtAll: '1 (pas du tout)',
    very: '5 (très)',
  },
  modal: {
    notSaved: ':warning: *Non enregistré.* {{problem}}',
  },
};
