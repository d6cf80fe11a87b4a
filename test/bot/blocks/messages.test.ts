/**
 * The message that confirms a sign-up or a changed schedule (src/bot/blocks/messages.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../../src/bot/blocks/format.ts';
import { confirmationMessage, SEND_NOW_ACTION } from '../../../src/bot/blocks/messages.ts';
import { buttons, EN, subscription, texts } from './block-kit.ts';

describe('the sign-up confirmation', () => {
  it('when a manager signs up, then it says their schedule and when the next note comes, in their own zone', () => {
    const message = confirmationMessage(subscription(), true, EN);
    expect(message.text).toMatch(/^You're signed up\. /);
    expect(message.text).toContain("You'll hear from me Mon, Wed and Fri at 09:00 (Asia/Tokyo).");
    // 00:00 UTC on Sunday is 09:00 on Monday in Tokyo.
    expect(message.text).toContain('The next note comes Monday 2 March at 09:00');
    expect(message.text).not.toContain('Sunday');
  });

  it('when a manager changes their schedule, then it says it is updated', () => {
    const message = confirmationMessage(
      subscription({
        weekdays: [1, 2, 3, 4, 5],
        localTime: '08:15',
        timeZone: 'America/New_York',
        nextDeliveryAt: '2026-01-13T13:15:00.000Z',
      }),
      false,
      EN,
    );
    expect(message.text).toBe(
      `Your schedule is updated. You'll hear from me every weekday at 08:15 (America/New York). The next note comes ${formatInstant('2026-01-13T13:15:00.000Z', 'America/New_York')}.`,
    );
    expect(message.text).toContain('Tuesday 13 January at 08:15');
  });

  it('when the next note is not planned yet, then it says it comes soon', () => {
    const message = confirmationMessage(subscription({ nextDeliveryAt: null }), true, EN);
    expect(message.text).toMatch(/The next note comes soon\.$/);
  });

  it('shows the text and a button to get a note now', () => {
    const message = confirmationMessage(subscription(), true, EN);
    expect(texts(message.blocks)).toEqual([message.text]);
    expect(buttons(message.blocks).map((button) => button.action_id)).toEqual([SEND_NOW_ACTION]);
    expect(SEND_NOW_ACTION).toBe('send_now');
  });
});
