-- A delivery belongs to its subscription's manager and workspace: one foreign key on the three
-- columns says so, where three separate keys said less and cost more (issue 19, item 3).
--
-- Before, each planned row checked three keys, each a lookup that also locked the referenced
-- row: the subscription, the manager and the workspace, the last one the same row for every
-- delivery of a workspace. Measured on a planning tick of 10,000 rows, the manager and
-- workspace checks were 20-24 us of the row's 71 us insert (docs/performance.md, "A delivery
-- owned through its subscription"). Nothing was lost by them going: a delivery's manager and
-- workspace are removed through its subscription (both cascade to it), and the new key also
-- refuses a delivery whose manager or workspace is not its subscription's, which the old keys
-- allowed.
CREATE UNIQUE INDEX subscriptions_owner ON subscriptions (id, manager_id, workspace_id);

ALTER TABLE deliveries
  DROP CONSTRAINT deliveries_workspace_id_fkey,
  DROP CONSTRAINT deliveries_manager_id_fkey,
  DROP CONSTRAINT deliveries_subscription_id_fkey,
  ADD CONSTRAINT deliveries_subscription_owner_fkey
    FOREIGN KEY (subscription_id, manager_id, workspace_id)
    REFERENCES subscriptions (id, manager_id, workspace_id) ON DELETE CASCADE;
