/** Topics, their history and translations, the weekday themes that pick them, and a manager's feedback on one. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from './columns.ts';

export interface TopicsTable {
  id: Generated<string>;
  workspace_id: string;
  slug: string;
  category: string;
  title: string;
  summary: string;
  why_it_matters: string;
  example: string;
  reflection_question: string;
  actions: string[];
  reference: string;
  revision: Generated<number>;
  retired_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TopicRevisionsTable {
  topic_id: string;
  revision: number;
  workspace_id: string;
  content: unknown;
  source: 'seed' | 'admin';
  created_at: CreatedAt;
}

/** A topic's text in another language than English (0029); the topic row is the English. */
export interface TopicTranslationsTable {
  topic_id: string;
  language: 'de' | 'fr';
  workspace_id: string;
  title: string;
  summary: string;
  why_it_matters: string;
  example: string;
  reflection_question: string;
  actions: string[];
  source: 'seed' | 'admin';
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface WeekdayThemesTable {
  workspace_id: string;
  iso_weekday: number;
  category: string;
  updated_at: UpdatedAt;
}

export interface TopicFeedbackTable {
  workspace_id: string;
  manager_id: string;
  topic_id: string;
  kind: 'not_relevant';
  delivery_id: string | null;
  created_at: CreatedAt;
}
