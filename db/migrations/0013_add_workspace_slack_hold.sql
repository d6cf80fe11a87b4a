-- Slack's rate limits are per workspace (and per method), and every bot replica posts to the
-- same workspaces. When one replica gets a 429 with Retry-After, the time it may call Slack again
-- is recorded here, so that the claims of every replica (deliveries and reminders) skip the
-- workspace's rows until then, rather than each replica finding the limit for itself.
-- NULL: never rate-limited (or long ago). Written by reportLeaseFailure (src/core/ledger/).
-- No index: the claim reads it by primary key for each due row it considers.
ALTER TABLE workspaces ADD COLUMN slack_rate_limited_until timestamptz;
