-- A counter the worker's refresh moves on whenever it writes or removes a summary row
-- (src/core/analytics/refresh.ts). The api keeps analytics answers between reads under the
-- version they were computed from (src/core/analytics/read-cache.ts): a read whose version is
-- the same needs none of the summary tables again.
ALTER TABLE analytics_refresh_state
  ADD COLUMN cells_version bigint NOT NULL DEFAULT 0;
