-- The blind-spot catalogue, per workspace so each team's admins can shape their own.
-- `slug` is the identity used when the catalogue is re-seeded from data/topics.
CREATE TABLE topics (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  category text NOT NULL,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
  summary text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 280),
  why_it_matters text NOT NULL,
  example text NOT NULL,
  reflection_question text NOT NULL,
  actions text[] NOT NULL CHECK (cardinality(actions) = 3),
  reference text NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  retired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, slug)
);
-- Next topic of a theme for a delivery: active topics of one category.
CREATE INDEX topics_by_category ON topics (workspace_id, category) WHERE retired_at IS NULL;

-- Every version a topic has had, whether from a re-seed or an admin's edit.
CREATE TABLE topic_revisions (
  topic_id bigint NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
  revision integer NOT NULL,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  content jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('seed', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic_id, revision)
);

-- Each ISO weekday (1 = Monday) has a theme: the topic category sent that day.
CREATE TABLE weekday_themes (
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  iso_weekday smallint NOT NULL CHECK (iso_weekday BETWEEN 1 AND 7),
  category text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, iso_weekday)
);
