/**
 * Load balancing over the two api replicas, one of them stopped.
 *
 * The gateway and the processes behind it: test/support/gateway-stack.ts; needs Debian's caddy
 * (2.6), else the file is skipped, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Answer, SIGN_IN, send } from '../support/gateway-client.ts';
import { eventually, type Service, setUpGateway, skip } from '../support/gateway-stack.ts';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  const stack = setUpGateway();
  let gateway: string;
  let api: [Service, Service];
  let apiPorts: number[];
  let caddy: Service;

  beforeAll(() => {
    ({ gateway, api, apiPorts, caddy } = stack);
  });

  describe('load balancing', () => {
    it('still answers when one of the two api replicas is stopped: reads at once, writes once the health check has seen it', async () => {
      const [stopped, survivor] = api;
      stopped.child.kill('SIGKILL');
      await stopped.exited;

      // A GET that finds its replica gone is retried on the other one.
      const reads: Answer[] = [];
      for (let i = 0; i < 10; i++) {
        reads.push(await send(gateway, { path: '/readyz' }));
        reads.push(await send(gateway, { path: '/api/v1/admin/auth/setup', from: '127.0.0.9' }));
      }
      expect(reads.map((answer) => answer.status)).toEqual(reads.map(() => 200));

      // Caddy cannot retry a POST (caddy#5454), so writes wait for the active health check
      // (every second) to take the stopped replica out of rotation.
      const stoppedUpstream = `"host":"127.0.0.1:${apiPorts[0]}"`;
      await eventually('an active health check failing on the stopped replica', () =>
        caddy
          .output()
          .split('\n')
          .find(
            (line) =>
              line.includes('"msg":"HTTP request failed"') && line.includes(stoppedUpstream),
          ),
      );
      const writes: Answer[] = [];
      for (let i = 0; i < 10; i++) {
        writes.push(
          await send(gateway, {
            path: SIGN_IN,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              email: `nobody-${i}@example.com`,
              password: 'not-the-password-1',
            }),
            // An address and an account each: the sign-in throttle would answer 429 after a few.
            from: `127.0.1.${i + 1}`,
          }),
        );
      }
      expect(writes.map((answer) => answer.status)).toEqual(writes.map(() => 401));

      await eventually('the surviving replica logging every request', () =>
        [...reads, ...writes].every((answer) =>
          survivor.lines.some((l) => l.requestId === answer.headers['x-request-id']),
        )
          ? true
          : undefined,
      );
    });
  });
});
