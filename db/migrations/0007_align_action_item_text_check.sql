-- The business rule (src/core/action-items/rules.ts) trims any whitespace before counting 500
-- characters; btrim() trims only spaces, so "500 characters and a newline" passed the rule and
-- failed this check with a 500. The rule is the judge; the database keeps a wide sanity bound.
ALTER TABLE action_items DROP CONSTRAINT action_items_text_check;
ALTER TABLE action_items ADD CONSTRAINT action_items_text_check
  CHECK (char_length(text) BETWEEN 1 AND 2000);
