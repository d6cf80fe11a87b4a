-- The analytics team filter (issue 15, items 3 and 5) reads cells the worker's refresh keeps,
-- as the unfiltered reads do (0015), instead of counting them from the manager-level rollups on
-- every request. The filter works on *atoms* (src/core/analytics/team-filter.ts): the managers
-- in the same set of chosen teams (Slack user groups, 0028), written as the sorted team ids
-- joined by commas. A team is the union of the atoms naming it, so a team's cell is a sum of
-- atom cells; the managers of an atom are distinct from every other atom's, so manager counts
-- add up too.
--
-- The atoms here are *fine*: every chosen team splits them, whatever its size. A team of fewer
-- than k managers is left out of the atoms the API works with (a team filter refuses it), so
-- the reads merge the fine atoms that differ only by such teams: k is the API's setting, and a
-- change of it needs no recount. Managers in no team have no atom here; the API works theirs
-- out as the unfiltered cell less the atoms.
--
-- The refresh recounts a touched week's atom cells with its other cells, and every week of the
-- atoms whose managers no longer match the teams' (a sync changed members, which groups are
-- teams, or a manager was erased): that costs what those atoms' managers' rows cost, not the
-- deployment's. Like the other analytics tables, the api and worker roles read and write them
-- through the owner's default privileges (config/postgres/init/10-blindspot-roles.sh).

-- The memberships the atom cells below were counted from: each manager in at least one chosen
-- team, with their atom. The refresh compares it with the teams' members to know which atoms
-- to recount; erasing a manager erases their row (and so changes their atom's count below).
CREATE TABLE analytics_atom_members (
  manager_id bigint PRIMARY KEY REFERENCES managers (id) ON DELETE CASCADE,
  atom text NOT NULL CHECK (atom ~ '^[0-9]+(,[0-9]+)*$')
);

-- Each atom of the memberships above and how many managers it holds: the reads add these up
-- per team to know which teams hold at least k managers, from the same snapshot as the cells.
CREATE TABLE analytics_atoms (
  atom text PRIMARY KEY CHECK (atom ~ '^[0-9]+(,[0-9]+)*$'),
  managers integer NOT NULL CHECK (managers > 0)
);

-- analytics_week_cells per atom rather than per workspace (an atom's managers are all of one
-- workspace, since a user group is): the same levels, measures and populations.
CREATE TABLE analytics_atom_week_cells (
  week date NOT NULL CHECK (extract(isodow FROM week) = 1),
  atom text NOT NULL,
  level smallint NOT NULL CHECK (level IN (0, 1, 2)),
  family text NOT NULL,
  topic_id bigint NOT NULL,
  planned integer NOT NULL,
  sent integer NOT NULL,
  sent_with_action integer NOT NULL,
  items integer NOT NULL,
  items_done integer NOT NULL,
  items_lapsed integer NOT NULL,
  reminder_items_asked integer NOT NULL,
  reminder_items_answered integer NOT NULL,
  usefulness_sum integer NOT NULL,
  usefulness_count integer NOT NULL,
  not_relevant integer NOT NULL,
  unsubscribed integer NOT NULL,
  planned_managers integer NOT NULL,
  sent_managers integer NOT NULL,
  item_managers integer NOT NULL,
  reminded_managers integer NOT NULL,
  rater_managers integer NOT NULL,
  unsubscribed_managers integer NOT NULL,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (week, atom, level, family, topic_id)
);

-- analytics_activity_week_cells per atom.
CREATE TABLE analytics_atom_activity_cells (
  week date NOT NULL CHECK (extract(isodow FROM week) = 1),
  atom text NOT NULL,
  level smallint NOT NULL CHECK (level IN (0, 1)),
  family text NOT NULL,
  iso_weekday smallint NOT NULL CHECK (iso_weekday BETWEEN 1 AND 7),
  hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  answers integer NOT NULL,
  managers integer NOT NULL,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (week, atom, level, family, iso_weekday, hour)
);

-- Managers with a note due (sent, missed or failed) per local date and atom: what the release
-- of a team's delivery health needs (its numbers are in the next table).
CREATE TABLE analytics_atom_delivery_days (
  day date NOT NULL,
  atom text NOT NULL,
  managers integer NOT NULL,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (day, atom)
);

-- analytics_delivery_days per chosen team: percentiles do not add up over atoms, so each team's
-- day is summarised whole.
CREATE TABLE analytics_team_delivery_days (
  day date NOT NULL,
  group_id bigint NOT NULL REFERENCES slack_user_groups (id) ON DELETE CASCADE,
  due integer NOT NULL,
  on_time integer NOT NULL,
  late integer NOT NULL,
  missed integer NOT NULL,
  failed integer NOT NULL,
  slack_errors integer NOT NULL,
  rate_limited integer NOT NULL,
  lateness_p50_ms integer,
  lateness_p99_ms integer,
  managers integer NOT NULL,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (group_id, day)
);
