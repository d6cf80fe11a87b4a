-- Topic translations (issue 18, item 2): one text per language per topic; English is the topic
-- row itself. A topic without a language is sent in English, so a missing row is never an
-- error, only a gap the admin topics page shows.
--
-- The same limits as an English topic (0002 and src/core/topics/rules.ts TOPIC_LIMITS): a note
-- stays readable in about a minute in every language. The category and the citation are not
-- translated: they are the topic's own.
CREATE TABLE topic_translations (
  topic_id bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  language text NOT NULL CHECK (language IN ('de', 'fr')),
  -- Kept for the workspace scoping every topic query has (and the cascade on erasure), so a
  -- translation is never read across workspaces by its topic id alone.
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
  summary text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 280),
  why_it_matters text NOT NULL,
  example text NOT NULL,
  reflection_question text NOT NULL,
  actions text[] NOT NULL CHECK (cardinality(actions) = 3),
  -- Who wrote the current text: re-seeding from data/topics/translations replaces only
  -- 'seed' rows, never an admin's edit (as for topics and their revisions).
  source text NOT NULL CHECK (source IN ('seed', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic_id, language)
);
-- The admin list's "missing German" filter and the seeder read a workspace's translations at
-- once.
CREATE INDEX topic_translations_by_workspace ON topic_translations (workspace_id, language);
