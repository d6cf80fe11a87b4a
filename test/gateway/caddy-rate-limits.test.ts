/**
 * The gateway in front of the api's rate limit on /api.
 *
 * The gateway and the processes behind it: test/support/gateway-stack.ts; needs Debian's caddy
 * (2.6), else the file is skipped, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Answer, send, signedAsBot } from '../support/gateway-client.ts';
import { RATE_LIMIT_PER_MINUTE, setUpGateway, skip } from '../support/gateway-stack.ts';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  const stack = setUpGateway();
  let gateway: string;
  let apiPorts: number[];

  beforeAll(() => {
    ({ gateway, apiPorts } = stack);
  });

  describe('rate limiting of /api', () => {
    it('answers a flood from one client with a JSON 429 and Retry-After; other clients and the bot get through', async () => {
      const flooder = '127.0.0.2';
      let limited: Answer | undefined;
      // Two replicas, each allowing RATE_LIMIT_PER_MINUTE: the flood is refused by the 3rd round.
      for (let i = 0; i < RATE_LIMIT_PER_MINUTE * 3 && !limited; i++) {
        const answer = await send(gateway, {
          path: '/api/v1/admin/accounts',
          from: flooder,
          // A forged X-Forwarded-For does not help: the gateway replaces it.
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
        });
        // Until the limit, the API's own answer: no session, so 401.
        if (answer.status === 429) limited = answer;
        else expect(answer.status).toBe(401);
      }
      expect(limited, 'no 429 within the flood').toBeDefined();
      const answer = limited as Answer;
      expect(answer.json()).toEqual({
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many requests from your address/),
        requestId: answer.headers['x-request-id'],
      });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);

      const neighbour = await send(gateway, { path: '/api/v1/admin/accounts', from: '127.0.0.3' });
      expect(neighbour.status).toBe(401);
      // The bot's signed calls, on the internal network, are counted per Slack user instead.
      const bot = await send(`http://127.0.0.1:${apiPorts[0]}`, {
        path: '/api/v1/topic-categories',
        from: flooder,
        headers: signedAsBot('GET', '/api/v1/topic-categories'),
      });
      expect(bot.status).toBe(200);
      // Health checks are not /api: never limited.
      expect((await send(gateway, { path: '/readyz', from: flooder })).status).toBe(200);
    });
  });
});
