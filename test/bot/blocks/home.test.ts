/**
 * The App Home (src/bot/blocks/home.ts) for a manager not signed up, signed up, paused for each
 * reason, and unsubscribed: what it says and which buttons it offers.
 */
import { describe, expect, it } from 'vitest';
import { DATA_RIGHTS_ACTIONS } from '../../../src/bot/blocks/data-rights.ts';
import { formatInstant } from '../../../src/bot/blocks/format.ts';
import { buildHome, HOME_ACTIONS } from '../../../src/bot/blocks/home.ts';
import { buttons, EN, subscription, texts } from './block-kit.ts';

describe('the App Home', () => {
  it('when the manager has not signed up, then it explains Blindspot and offers to sign up', () => {
    const home = buildHome(undefined, EN);
    expect(home.type).toBe('home');
    expect(texts(home.blocks).join('\n')).toContain('Every manager has blind spots');
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([HOME_ACTIONS.signUp]);
  });

  it('when the manager is signed up, then it shows the schedule and the next note in their own zone, and the ways to change it', () => {
    const home = buildHome(subscription(), EN);
    expect(texts(home.blocks)).toContain(
      `*You are signed up:* Mon, Wed and Fri at 09:00 (Asia/Tokyo).\n*Next note:* ${formatInstant('2026-03-02T00:00:00.000Z', 'Asia/Tokyo')}.`,
    );
    expect(texts(home.blocks).join('\n')).toContain('*Next note:* Monday 2 March at 09:00');
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([
      HOME_ACTIONS.changeSchedule,
      HOME_ACTIONS.pause,
      HOME_ACTIONS.unsubscribe,
      DATA_RIGHTS_ACTIONS.export,
      DATA_RIGHTS_ACTIONS.erase,
    ]);
  });

  it('when the manager is signed up, then unsubscribing asks for confirmation first', () => {
    const unsubscribe = buttons(buildHome(subscription(), EN).blocks).find(
      (button) => button.action_id === HOME_ACTIONS.unsubscribe,
    );
    expect(unsubscribe?.style).toBe('danger');
    expect(unsubscribe?.confirm?.title?.text).toBe('Unsubscribe?');
  });

  it('when the next note is not planned yet, then it says so', () => {
    const home = buildHome(subscription({ nextDeliveryAt: null }), EN);
    expect(texts(home.blocks).join('\n')).toContain('*Next note:* being planned.');
  });

  it('when Slack could not deliver and the subscription was paused, then it explains why and offers to resume', () => {
    const home = buildHome(
      subscription({ status: 'paused', statusReason: 'slack:account_inactive' }),
      EN,
    );
    expect(texts(home.blocks)).toContain(
      '*Paused because Slack could not deliver your messages.* Your schedule: Mon, Wed and Fri at 09:00 (Asia/Tokyo).',
    );
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([
      HOME_ACTIONS.resume,
      HOME_ACTIONS.changeSchedule,
      HOME_ACTIONS.unsubscribe,
      DATA_RIGHTS_ACTIONS.export,
      DATA_RIGHTS_ACTIONS.erase,
    ]);
  });

  it.each([
    { statusReason: null, says: '*Paused.*' },
    { statusReason: 'workspace_inactive', says: '*Paused while Blindspot was removed' },
    { statusReason: 'on holiday', says: '*Paused (on holiday).*' },
    { statusReason: 'paused from the Home tab', says: '*You paused your notes.*' },
  ])('when paused with reason $statusReason, then it says "$says"', ({ statusReason, says }) => {
    const home = buildHome(subscription({ status: 'paused', statusReason }), EN);
    expect(texts(home.blocks).join('\n')).toContain(says);
    expect(texts(home.blocks).join('\n')).not.toContain('Slack could not deliver');
  });

  it('when the manager unsubscribed, then it says so and offers to sign up again', () => {
    const home = buildHome(subscription({ status: 'unsubscribed' }), EN);
    expect(texts(home.blocks).join('\n')).toContain('You are unsubscribed.');
    expect(texts(home.blocks).join('\n')).not.toContain('Next note');
    // Unsubscribed, their data is still held: theirs to download or delete.
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([
      HOME_ACTIONS.signUp,
      DATA_RIGHTS_ACTIONS.export,
      DATA_RIGHTS_ACTIONS.erase,
    ]);
  });
});
