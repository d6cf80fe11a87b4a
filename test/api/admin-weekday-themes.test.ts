/**
 * The workspace's weekday themes through the admin API, over real HTTP
 * (test/support/admin-workspace-api.ts): the seeded defaults, setting a weekday's theme, and
 * the refusals that save nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  newTopic,
  setUpAdminWorkspaceApi,
  TEAM,
  type WeekdayTheme,
} from '../support/admin-workspace-api.ts';

const api = setUpAdminWorkspaceApi();
const { admin, auditOf, countRows } = api;

describe('weekday themes', () => {
  it('lists the seeded defaults, Monday first', async () => {
    const { status, body, requestId } = await admin('GET', `${TEAM}/weekday-themes`);
    expect(status).toBe(200);
    expect((body.weekdayThemes as WeekdayTheme[]).map((t) => [t.isoWeekday, t.category])).toEqual([
      [1, 'clarity-and-direction'],
      [2, 'judging-people-fairly'],
      [3, 'listening-and-communication'],
      [4, 'recognition-and-feedback'],
      [5, 'team-climate-and-growth'],
      [6, 'recognition-and-feedback'],
      [7, 'clarity-and-direction'],
    ]);
    expect(await auditOf(requestId)).toMatchObject([
      { actor: expect.stringMatching(/^apikey:\d+$/), action: 'weekday_themes.listed' },
    ]);
  });

  it("sets a weekday's theme and records the change", async () => {
    const { status, body, requestId } = await admin('PUT', `${TEAM}/weekday-themes/6`, {
      category: 'team-climate-and-growth',
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      isoWeekday: 6,
      category: 'team-climate-and-growth',
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'weekday_theme.updated',
        subject_type: 'weekday_theme',
        subject_id: '6',
        details: {
          isoWeekday: 6,
          category: 'team-climate-and-growth',
          previousCategory: 'recognition-and-feedback',
          changed: true,
        },
      },
    ]);
    const themes = await admin('GET', `${TEAM}/weekday-themes`);
    expect(themes.body.weekdayThemes).toContainEqual(
      expect.objectContaining({ isoWeekday: 6, category: 'team-climate-and-growth' }),
    );
  });

  it('refuses a category with no active topic with 400 unknown_category, and saves nothing', async () => {
    const unknownBefore = await countRows();
    const unknown = await admin('PUT', `${TEAM}/weekday-themes/2`, { category: 'astrology' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      code: 'unknown_category',
      message: expect.stringContaining(
        'No active topic in this workspace has category "astrology"',
      ),
      requestId: unknown.requestId,
    });
    expect(unknown.body.message).toContain('clarity-and-direction');
    expect(await countRows()).toEqual(unknownBefore);
    // Only retired topics in it: as good as unknown.
    const lone = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'Alone in its category', category: 'soon-empty' }),
    );
    await admin('POST', `${TEAM}/topics/${lone.body.id}/retire`);
    const before = await countRows();
    const retired = await admin('PUT', `${TEAM}/weekday-themes/2`, { category: 'soon-empty' });
    expect(retired.status).toBe(400);
    expect(retired.body.code).toBe('unknown_category');
    expect(await countRows()).toEqual(before);
    const themes = await admin('GET', `${TEAM}/weekday-themes`);
    expect(themes.body.weekdayThemes).toContainEqual(
      expect.objectContaining({ isoWeekday: 2, category: 'judging-people-fairly' }),
    );
  });

  it('refuses a weekday outside 1 to 7 and a body with extra fields', async () => {
    const eight = await admin('PUT', `${TEAM}/weekday-themes/8`, {
      category: 'clarity-and-direction',
    });
    expect(eight.status).toBe(400);
    expect(eight.body.code).toBe('validation_failed');
    const extra = await admin('PUT', `${TEAM}/weekday-themes/1`, {
      category: 'clarity-and-direction',
      colour: 'red',
    });
    expect(extra.status).toBe(400);
  });
});
