-- Deleting a delivery makes PostgreSQL null every reference to it (ON DELETE SET NULL), one
-- statement per deleted row: `UPDATE action_items SET delivery_id = NULL WHERE delivery_id = $1`.
-- Pending deliveries are deleted per request (a schedule change, a pause, an unsubscribe, a
-- manager Slack cannot reach, an uninstalled workspace), and without an index each of those
-- statements read every action item and every topic feedback row.

-- Serves the ON DELETE SET NULL of action_items_delivery_id_fkey, run by
-- deletePendingDeliveries (src/core/subscriptions/repository.ts), reportDeliveryFailure and
-- deactivateWorkspace; and listActionItems filtered by delivery (src/core/action-items/service.ts).
CREATE INDEX action_items_by_delivery ON action_items (delivery_id) WHERE delivery_id IS NOT NULL;

-- Serves the ON DELETE SET NULL of topic_feedback_delivery_id_fkey, run by the same deletes.
CREATE INDEX topic_feedback_by_delivery ON topic_feedback (delivery_id)
  WHERE delivery_id IS NOT NULL;

-- Serves the weekly-digest half of planDueReminders (src/core/reminders/service.ts), run every
-- minute while it is Monday somewhere: only the subscribers who turned the digest on.
CREATE INDEX subscriptions_weekly_digest ON subscriptions (manager_id)
  WHERE weekly_digest AND status = 'active';
