/**
 * The analytics answers as CSV (`?format=csv`): one table per answer, the same rows and numbers
 * as the JSON, a suppressed number written "<k" and a number with no data left empty.
 */
import { type Cell, toCsv } from './rules.ts';
import type { ActivityCell, EngagementWeek, FamilyRow, HealthDay, TopicRow } from './service.ts';

const ENGAGEMENT = [
  'managersSubscribed',
  'notesDelivered',
  'actionShare',
  'completionRate',
  'reminderAnswerRate',
  'lapseRate',
  'unsubscribes',
] as const;

export function engagementCsv(weeks: readonly EngagementWeek[], k: number): string {
  return toCsv(
    ['week', ...ENGAGEMENT],
    weeks.map((week) => [week.week, ...ENGAGEMENT.map((name) => week[name])]),
    k,
  );
}

const TOPIC = [
  'sent',
  'actionRate',
  'completionRate',
  'meanUsefulness',
  'notRelevantRate',
] as const;

/** Families first (kind "family", no topic), then topics (kind "topic"). */
export function topicsCsv(
  families: readonly FamilyRow[],
  topics: readonly TopicRow[],
  k: number,
): string {
  const rows: (Cell | string)[][] = [
    ...families.map((row) => ['family', row.family, '', '', '', ...TOPIC.map((name) => row[name])]),
    ...topics.map((row) => [
      'topic',
      row.family,
      row.teamId,
      row.slug,
      row.title,
      ...TOPIC.map((name) => row[name]),
    ]),
  ];
  return toCsv(['kind', 'family', 'teamId', 'slug', 'title', ...TOPIC], rows, k);
}

const HEALTH = [
  'due',
  'onTime',
  'late',
  'missed',
  'failed',
  'slackErrors',
  'rateLimited',
  'latenessP50Ms',
  'latenessP99Ms',
] as const;

export function healthCsv(days: readonly HealthDay[], k: number): string {
  return toCsv(
    ['day', ...HEALTH],
    days.map((day) => [day.day, ...HEALTH.map((name) => day[name])]),
    k,
  );
}

export function activityCsv(cells: readonly ActivityCell[], k: number): string {
  return toCsv(
    ['isoWeekday', 'hour', 'answers'],
    cells.map((cell) => [cell.isoWeekday, cell.hour, cell.answers]),
    k,
  );
}
