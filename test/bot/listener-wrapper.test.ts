/**
 * The one wrapper every Slack listener runs in (src/bot/listeners/shared.ts): it acks, acts for
 * the manager who clicked, and turns a failure into one log line and the surface's friendly reply.
 */
import { describe, expect, it } from 'vitest';
import { ApiCallError, type CallContext } from '../../src/bot/api-client/index.ts';
import { busyText, notSignedUpText, staleInputText } from '../../src/bot/blocks/messages.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { modalErrors } from '../../src/bot/listeners/failure-replies.ts';
import { apiIdOf, parseOurJson } from '../../src/bot/listeners/malformed-input.ts';
import {
  type ActionArgs,
  onAction,
  onSubmission,
  type SubmissionArgs,
} from '../../src/bot/listeners/shared.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { replyVoiceContext } from '../support/reply-voice-context.ts';

const BUSY_TEXT = busyText(voiceFor());
const NOT_SIGNED_UP_TEXT = notSignedUpText(voiceFor());
const STALE_INPUT_TEXT = staleInputText(voiceFor());

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    service: 'test',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

/** A click on a button in a DM, by U0ALEX of T0TEAM, as Bolt hands it to a listener. */
function click() {
  const events: string[] = [];
  const replies: unknown[] = [];
  const args = {
    ack: async () => {
      events.push('ack');
    },
    respond: async (message: unknown) => {
      replies.push(message);
    },
    body: { user: { id: 'U0ALEX', team_id: 'T0TEAM' }, team: { id: 'T0TEAM' } },
    context: { requestId: 'req-click' },
  } as unknown as ActionArgs;
  return { args, events, replies };
}

describe('a block action in the listener wrapper', () => {
  it('acks first, then acts for the manager who clicked, under the request id', async () => {
    const { logger } = capturedLogger();
    const { args, events } = click();
    let seen: CallContext | undefined;
    await onAction(logger, 'testing', async (_args, call) => {
      events.push('run');
      seen = call;
    })(args);
    expect(events).toEqual(['ack', 'run']);
    expect(seen).toEqual({ slackTeamId: 'T0TEAM', slackUserId: 'U0ALEX', requestId: 'req-click' });
  });

  it('when the API is down, logs one error line with the stack and code, and tells the manager to try again', async () => {
    const { logger, lines } = capturedLogger();
    const { args, replies } = click();
    await onAction(logger, 'marking an action done', async () => {
      throw new ApiCallError(503, {
        code: 'service_unavailable',
        message: 'busy',
        requestId: 'req-api',
      });
    })(args);
    expect(replies).toEqual([
      { response_type: 'ephemeral', replace_original: false, text: BUSY_TEXT },
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'marking an action done failed',
      code: 'service_unavailable',
      requestId: 'req-click',
      err: { type: 'ApiCallError', stack: expect.stringContaining('ApiCallError') },
    });
  });

  it('when the manager has not signed up, says how to, and logs the refusal at info without a stack', async () => {
    const { logger, lines } = capturedLogger();
    const { args, replies } = click();
    await onAction(logger, 'pausing', async () => {
      throw new ApiCallError(404, {
        code: 'subscription_not_found',
        message: 'No such subscription.',
        requestId: 'req-api',
      });
    })(args);
    expect(replies).toEqual([
      { response_type: 'ephemeral', replace_original: false, text: NOT_SIGNED_UP_TEXT },
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'pausing rejected',
        code: 'subscription_not_found',
        status: 404,
        requestId: 'req-click',
      }),
    ]);
    expect(lines[0]).not.toHaveProperty('err');
  });

  it('when the button was in a view (no response_url, so Bolt gives no respond), then replying logs at info and nothing throws', async () => {
    const { logger, lines } = capturedLogger();
    const { args } = click();
    const inView = { ...args, respond: undefined } as unknown as ActionArgs;
    await onAction(logger, 'keeping an action', async ({ respond }) => {
      await respond({ replace_original: true, text: 'Kept your action.' });
    })(inView);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'an action in a view: no message to respond to',
        requestId: 'req-click',
      }),
    ]);
  });

  it('when the button value is not ours, then it logs a warning without the value and says the button is out of date', async () => {
    const { logger, lines } = capturedLogger();
    const { args, replies } = click();
    await onAction(logger, 'answering a reminder', async () => {
      apiIdOf('12\udfff; DROP', "a reminder button's item");
    })(args);
    expect(replies).toEqual([
      { response_type: 'ephemeral', replace_original: false, text: STALE_INPUT_TEXT },
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'answering a reminder refused: not our input',
        code: 'malformed_input',
        problem: "a reminder button's item",
        requestId: 'req-click',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('DROP');
  });
});

describe('a modal submission in the listener wrapper', () => {
  function submission() {
    const acks: unknown[] = [];
    const args = {
      ack: async (response?: unknown) => {
        acks.push(response ?? 'closed');
      },
      body: { user: { id: 'U0ALEX', team_id: 'T0TEAM' }, team: { id: 'T0TEAM' } },
      view: {},
      context: { requestId: 'req-modal' },
    } as unknown as SubmissionArgs;
    return { args, acks };
  }

  it('when its private_metadata is not our JSON, then the modal says it is out of date, and the log does not quote it', async () => {
    const { logger, lines } = capturedLogger();
    const { args, acks } = submission();
    await onSubmission(
      logger,
      'saving a reflection',
      async () => {
        parseOurJson('{"itemId": "secret words', "the reflection modal's metadata");
      },
      (error, _args, voice) => modalErrors(error, () => ({}), 'reflection', voice),
    )(args);
    expect(acks).toEqual([{ response_action: 'errors', errors: { reflection: STALE_INPUT_TEXT } }]);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', code: 'malformed_input' })]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('closes the modal once the work is done', async () => {
    const { logger } = capturedLogger();
    const { args, acks } = submission();
    await onSubmission(
      logger,
      'saving',
      async () => {},
      () => ({}),
    )(args);
    expect(acks).toEqual(['closed']);
  });

  it('shows a failure before the ack beside the fields, and keeps the modal open', async () => {
    const { logger } = capturedLogger();
    const { args, acks } = submission();
    await onSubmission(
      logger,
      'saving',
      async () => {
        throw new Error('unreachable API');
      },
      () => ({ action_text: BUSY_TEXT }),
    )(args);
    expect(acks).toEqual([{ response_action: 'errors', errors: { action_text: BUSY_TEXT } }]);
  });

  it('only logs a failure after the ack: the modal has already closed', async () => {
    const { logger, lines } = capturedLogger();
    const { args, acks } = submission();
    await onSubmission(
      logger,
      'saving an action',
      async ({ ack }) => {
        await ack();
        throw new Error('the note could not be refreshed');
      },
      () => ({ action_text: BUSY_TEXT }),
    )(args);
    expect(acks).toEqual(['closed']);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'saving an action (after its modal closed) failed',
        requestId: 'req-modal',
      }),
    ]);
  });
});

/**
 * The reply to a click whose work failed with `failure`, and whom its language was asked of: the
 * API knows the manager as German, their Slack profile says French.
 */
async function replyAfter(failure: unknown) {
  const { logger } = capturedLogger();
  const { args, replies } = click();
  const { context, reads, profileReads } = await replyVoiceContext(
    async () => ({ locale: 'de-DE' }),
    'fr-FR',
  );
  await onAction(logger, 'acting', async () => {
    throw failure;
  })({ ...args, context } as ActionArgs);
  return { replies, asked: { api: reads.length, slack: profileReads.length } };
}

const ephemeral = (text: string) => [{ response_type: 'ephemeral', replace_original: false, text }];

describe('the language of a failure reply in the listener wrapper', () => {
  it('when the API was busy, then busy in the Slack profile’s language, and the API is not asked again', async () => {
    const busy = new ApiCallError(503, {
      code: 'service_unavailable',
      message: 'busy',
      requestId: 'r',
    });
    expect(await replyAfter(busy)).toEqual({
      replies: ephemeral(busyText(voiceFor({ locale: 'fr-FR' }))),
      asked: { api: 0, slack: 1 },
    });
  });

  it('when the manager has not signed up, then in the language the API has for them', async () => {
    const notSignedUp = new ApiCallError(404, {
      code: 'subscription_not_found',
      message: 'no',
      requestId: 'r',
    });
    expect(await replyAfter(notSignedUp)).toEqual({
      replies: ephemeral(notSignedUpText(voiceFor({ locale: 'de-DE' }))),
      asked: { api: 1, slack: 0 },
    });
  });
});
