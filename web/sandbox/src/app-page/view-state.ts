// The renderer's types file, not its index: the server-side typecheck (test/web) has no JSX.
import type { ViewStateValues } from '../../../src/block-kit/types.ts';

/**
 * A surface's state after an update: the new blocks' initial values, except where the person
 * had entered something in an input the update kept (same block_id and action_id), as Slack
 * keeps input values across views.update.
 */
export function keepEntered(fresh: ViewStateValues, entered: ViewStateValues): ViewStateValues {
  const kept: ViewStateValues = {};
  for (const [blockId, actions] of Object.entries(fresh)) {
    const block: ViewStateValues[string] = {};
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = entered[blockId]?.[actionId] ?? value;
    }
    kept[blockId] = block;
  }
  return kept;
}
