/**
 * The Home tab's own sections, the sign-up modal, away, holidays, data rights and the texts of
 * `/blindspot` hold no hard-coded English: built in the pseudo-language (every catalogue letter
 * accented), no plain English word is left but the data they show (names, zones, places, code).
 */
import { describe, expect, it } from 'vitest';
import {
  awayBlocks,
  awaySavedText,
  awayUsageText,
  welcomeBackText,
} from '../../src/bot/blocks/away.ts';
import {
  buildEraseFailedModal,
  buildEraseModal,
  dataRightsBlocks,
  erasedText,
  exportLinkMessage,
} from '../../src/bot/blocks/data-rights.ts';
import {
  holidayBlocks,
  holidayOptions,
  skippedNotesBlocks,
} from '../../src/bot/blocks/holidays.ts';
import { buildHome } from '../../src/bot/blocks/home.ts';
import {
  busyText,
  confirmationMessage,
  exportSentText,
  exportUnavailableText,
  helpText,
  historyText,
  notRelevantNote,
  notSignedUpText,
  openActionsText,
  pausedText,
  resumedText,
  sendNowText,
  staleInputText,
  tryAgainText,
  undoTooLateText,
  unknownCommandText,
} from '../../src/bot/blocks/messages.ts';
import { buildSignupModal } from '../../src/bot/blocks/signup-modal.ts';
import { catalogues, testVoice } from '../../src/bot/i18n/index.ts';
import { pseudoCatalogue } from '../../src/bot/i18n/pseudo.ts';
import { plainWordsIn } from '../support/pseudo-words.ts';
import { LEANINGS, NOW, subscription, THEMES } from '../web/block-kit-samples.ts';

const pseudo = testVoice('en-XA', pseudoCatalogue(catalogues.en), 'en-GB');

/** Words that are data, not the bot's: shown as they are in every language. */
const DATA = new Set([
  'Blindspot',
  'Europe',
  'Berlin',
  'UTC',
  'Germany',
  'Bayern',
  'Christmas',
  // The language menu names each language in its own words.
  'English',
  'Deutsch',
]);

describe('in the pseudo-language', () => {
  const away = subscription({
    status: 'paused',
    statusReason: 'away from the Home tab',
    pausedUntil: '2027-01-04',
    holidays: { country: 'DE', region: 'BY', name: 'Germany: Bayern' },
  });
  const surfaces: Record<string, unknown> = {
    'Home, never signed up': buildHome(undefined, pseudo),
    'Home, unsubscribed': buildHome(subscription({ status: 'unsubscribed' }), pseudo),
    'away, holidays and skipped notes': [
      ...awayBlocks(away, pseudo),
      ...awayBlocks(subscription(), pseudo),
      ...holidayBlocks(away, pseudo),
      ...holidayBlocks(subscription(), pseudo),
      ...skippedNotesBlocks(
        [
          { localDate: '2026-12-25', reason: 'holiday', holiday: 'Christmas' },
          { localDate: '2026-12-24', reason: 'holiday', holiday: null },
          { localDate: '2026-12-21', reason: 'away', holiday: null },
        ],
        pseudo,
      ),
      holidayOptions([], '', pseudo),
    ],
    'data rights': [
      dataRightsBlocks(pseudo),
      buildEraseModal(pseudo),
      buildEraseFailedModal(tryAgainText(pseudo), pseudo),
      exportLinkMessage(
        { url: 'https://blindspot.example.org/exports/abc', expiresAt: '2026-01-13T10:00:00Z' },
        'Europe/Berlin',
        pseudo,
      ),
      erasedText(pseudo),
    ],
    'sign-up modal': [
      buildSignupModal({
        profileTimeZone: 'Europe/Berlin',
        categories: THEMES,
        leanings: LEANINGS,
        now: NOW,
        voice: pseudo,
      }),
      buildSignupModal({
        subscription: away,
        profileTimeZone: 'Europe/Berlin',
        categories: [],
        now: NOW,
        voice: pseudo,
      }),
    ],
    'confirmations and command texts': [
      confirmationMessage(subscription(), true, pseudo),
      confirmationMessage(subscription({ nextDeliveryAt: null }), false, pseudo),
      ...[
        helpText,
        historyText,
        openActionsText,
        tryAgainText,
        staleInputText,
        busyText,
        exportSentText,
        exportUnavailableText,
        pausedText,
        resumedText,
        notRelevantNote,
        undoTooLateText,
        notSignedUpText,
        awayUsageText,
        welcomeBackText,
      ].map((text) => text(pseudo)),
      unknownCommandText('dance', pseudo),
      sendNowText('queued', pseudo),
      sendNowText('already_sent', pseudo),
      awaySavedText(away, pseudo),
    ],
  };

  it.each(Object.keys(surfaces))('%s: no hard-coded English is left', (name) => {
    expect(plainWordsIn(surfaces[name], DATA)).toEqual([]);
  });

  it('the check itself finds an English word', () => {
    const shown = { text: { type: 'mrkdwn', text: 'Ñó `code` <a|b> but this' } };
    expect(plainWordsIn(shown, DATA)).toEqual(['but', 'this']);
  });
});
