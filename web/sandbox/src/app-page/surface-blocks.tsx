/**
 * Blocks on a surface the person can act on (a message, the Home tab, a modal): the renderer
 * with controlled state, and its actions and external-select lookups sent to the server as
 * Slack would send block_actions and block_suggestion.
 */
import { useState } from 'react';
import { BlockKit, initialState, type ViewStateValues } from '../../../src/block-kit/index.ts';
import { type Container, type Person, sandboxApi } from '../api/client.ts';
import { useSandboxAction } from '../api/queries.ts';
import { keepEntered } from './view-state.ts';

/**
 * The values typed or chosen on a surface. A new surface (another view or message) starts from
 * its blocks' initial values; a new version of the same one (views.update, chat.update) keeps
 * what the person entered in inputs whose block_id and action_id it still has, as Slack does.
 */
export function useSurfaceState(
  blocks: readonly unknown[],
  surfaceId: string,
  version: unknown,
): [ViewStateValues, (next: ViewStateValues) => void] {
  const [entry, setEntry] = useState(() => ({ surfaceId, version, values: initialState(blocks) }));
  let current = entry;
  if (entry.surfaceId !== surfaceId || entry.version !== version) {
    const fresh = initialState(blocks);
    current = {
      surfaceId,
      version,
      values: entry.surfaceId === surfaceId ? keepEntered(fresh, entry.values) : fresh,
    };
    // Derived state, updated during render: React re-renders at once with the new entry.
    setEntry(current);
  }
  return [current.values, (values) => setEntry({ surfaceId, version, values })];
}

/** `loadOptions` for the renderer: the external_select's lookup, relayed by the server. */
export function optionsLoader(userId: string, container: Container) {
  return async (query: { action_id: string; block_id: string; value: string }) =>
    (await sandboxApi.options(userId, { container, ...query })).options;
}

/** The blocks of a message or of the Home tab, whose actions go straight to the bot. */
export function SurfaceBlocks({
  person,
  container,
  blocks,
  version,
  users,
}: {
  person: Person;
  container: Container;
  blocks: readonly unknown[];
  /** Changes when the surface is updated (a new blocks array, a new view hash). */
  version: unknown;
  users: Record<string, string>;
}) {
  const surfaceId = container.type === 'message' ? container.messageTs : container.viewId;
  const [state, setState] = useSurfaceState(blocks, surfaceId, version);
  const action = useSandboxAction(sandboxApi.action);
  return (
    <BlockKit
      blocks={blocks}
      users={users}
      state={state}
      onStateChange={setState}
      onAction={(blockAction) => action.mutate([person.userId, container, blockAction, state])}
      loadOptions={optionsLoader(person.userId, container)}
      disabled={action.isPending}
    />
  );
}
