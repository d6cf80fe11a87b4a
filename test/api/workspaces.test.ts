/**
 * GET /api/v1/workspaces/slack-holds over real HTTP: the workspaces Slack rate-limited whose hold
 * is still ahead on the API's clock, which every bot replica reads while it sends (decision
 * 0013). The holds are recorded the way a sender's 429 report records them.
 */
import { describe, expect, it } from 'vitest';
import { holdWorkspaceSlackCalls } from '../../src/core/workspaces/repository.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { createWorkspace } from '../support/factories.ts';
import { serviceFetch } from '../support/service-calls.ts';

const NOW = new Date('2026-12-08T08:00:00Z');

let clock = NOW;
const fetch = serviceFetch(() => clock);

const testApp = setUpTestApp({ clock: () => clock });

async function holds(authorization = `Bearer ${TEST_SERVICE_TOKEN}`) {
  const response = await fetch(`${testApp.url}/api/v1/workspaces/slack-holds`, {
    headers: { authorization },
  });
  return { status: response.status, body: await response.json() };
}

describe('the Slack holds, as the bot reads them', () => {
  it('lists each workspace whose hold is still ahead, with its end, and leaves out ended and unheld ones', async () => {
    const [ended, held, neverHeld] = [
      await createWorkspace(testApp.database.db),
      await createWorkspace(testApp.database.db),
      await createWorkspace(testApp.database.db),
    ];
    await holdWorkspaceSlackCalls(testApp.database.db, ended.id, new Date(NOW.getTime() - 1));
    await holdWorkspaceSlackCalls(testApp.database.db, held.id, new Date(NOW.getTime() + 30_000));

    const answer = await holds();
    expect(answer).toEqual({
      status: 200,
      body: { holds: [{ teamId: held.slackTeamId, until: '2026-12-08T08:00:30.000Z' }] },
    });
    expect(JSON.stringify(answer.body)).not.toContain(neverHeld.slackTeamId);

    // Once the API's clock reaches the hold's end, it is over.
    clock = new Date(NOW.getTime() + 30_000);
    expect(await holds()).toEqual({ status: 200, body: { holds: [] } });
  });

  it('answers 401 without the service token', async () => {
    const answer = await holds('Bearer not-the-service-token');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'unauthorized', requestId: expect.any(String) });
  });
});
