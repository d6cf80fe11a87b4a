/**
 * /metrics: not reachable through the gateway; Caddy's own on the internal listener.
 *
 * The gateway and the processes behind it: test/support/gateway-stack.ts; needs Debian's caddy
 * (2.6), else the file is skipped, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { asBot, send } from '../support/gateway-client.ts';
import { setUpGateway, skip } from '../support/gateway-stack.ts';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  const stack = setUpGateway();
  let gateway: string;
  let metricsUrl: string;

  beforeAll(() => {
    ({ gateway, metricsUrl } = stack);
  });

  describe('/metrics', () => {
    it('is not reachable through the gateway, however the path is spelled', async () => {
      const spellings = [
        '/metrics',
        '/metrics/',
        '/metrics?format=prometheus',
        '/METRICS',
        '//metrics',
        '/api/../metrics',
        '/api/%2e%2e/metrics',
        '/api/..%2fmetrics',
        '/api/v1/../../metrics',
        '/slack/../metrics',
        '/slack/events/../../metrics',
        '/healthz/../metrics',
        '/admin/../metrics',
        '/./metrics',
        '/%6detrics',
      ];
      for (const spelling of spellings) {
        const answer = await send(gateway, { path: spelling, headers: asBot });
        expect(answer.status, spelling).toBe(404);
        expect(answer.body, spelling).not.toContain('# HELP');
      }
      // Another Host gets no site at all.
      const otherHost = await send(gateway, { path: '/metrics', headers: { host: 'api:3000' } });
      expect(otherHost.body).not.toContain('# HELP');
    });

    it("serves Caddy's own metrics on the internal listener", async () => {
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('# TYPE caddy_http_requests_total counter');
      expect(text).toMatch(
        /caddy_reverse_proxy_upstreams_healthy\{upstream="127\.0\.0\.1:\d+"\} 1/,
      );
    });
  });
});
