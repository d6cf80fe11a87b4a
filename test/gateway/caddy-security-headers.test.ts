/**
 * The security headers the gateway adds to its answers.
 *
 * The gateway and the processes behind it: test/support/gateway-stack.ts; needs Debian's caddy
 * (2.6), else the file is skipped, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MIB, SIGN_IN, send, sendOversized } from '../support/gateway-client.ts';
import { setUpGateway, skip } from '../support/gateway-stack.ts';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  const stack = setUpGateway();
  let gateway: string;
  let apiPorts: number[];

  beforeAll(() => {
    ({ gateway, apiPorts } = stack);
  });

  describe('security headers', () => {
    it("pass the admin app's strict CSP through unchanged", async () => {
      for (const route of ['/admin', '/admin/accounts', '/api/v1/admin/auth/setup']) {
        const answer = await send(gateway, { path: route, from: '127.0.0.10' });
        const direct = await send(`http://127.0.0.1:${apiPorts[1]}`, {
          path: route,
          from: '127.0.0.10',
        });
        const policy = String(answer.headers['content-security-policy']);
        expect(policy, route).toContain("script-src 'self'");
        expect(policy, route).toContain("default-src 'self'");
        expect(policy, route).toContain("frame-ancestors 'none'");
        expect(policy, route).toBe(direct.headers['content-security-policy']);
      }
    });

    it('are on proxied answers and on the gateway own errors, and Server is gone', async () => {
      const answers = [
        await send(gateway, { path: '/healthz' }),
        await send(gateway, { path: '/nope' }),
        await sendOversized(gateway, { path: SIGN_IN, body: 'x'.repeat(MIB + 1) }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 404, 413]);
      for (const answer of answers) {
        expect(answer.headers).toMatchObject({
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'content-security-policy': "frame-ancestors 'none'",
          'referrer-policy': 'no-referrer',
        });
        expect(answer.headers.server).toBeUndefined();
      }
    });
  });
});
