-- Each manager's language (issue 18, item 2). `language` is the manager's own choice; null
-- follows their Slack locale when Blindspot speaks it, then the workspace default below, then
-- English (src/core/languages/rules.ts effectiveLanguage). The list matches LANGUAGES there.
ALTER TABLE managers
  ADD COLUMN language text CHECK (language IN ('en', 'de', 'fr'));

-- The language of a manager whose Slack locale Blindspot does not speak (and who chose none).
-- English by default, which is what every workspace read before this column.
ALTER TABLE workspace_settings
  ADD COLUMN default_language text NOT NULL DEFAULT 'en'
    CHECK (default_language IN ('en', 'de', 'fr'));
