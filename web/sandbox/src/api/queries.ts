/**
 * TanStack Query hooks over the sandbox client. The server pushes "something changed" over
 * Server-Sent Events; each change refetches the person's state, so the page never guesses what
 * the bot did.
 */
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { SandboxApiError, sandboxApi } from './client.ts';

export const sandboxKeys = {
  all: ['sandbox'] as const,
  session: ['sandbox', 'session'] as const,
  state: (userId: string) => ['sandbox', 'state', userId] as const,
};

export function useSandboxSession() {
  return useQuery({ queryKey: sandboxKeys.session, queryFn: sandboxApi.session });
}

export function usePersonState(userId: string | undefined) {
  return useQuery({
    queryKey: sandboxKeys.state(userId ?? ''),
    queryFn: () => sandboxApi.state(userId ?? ''),
    enabled: userId !== undefined,
  });
}

type ChangeScope = 'dm' | 'home' | 'modals' | 'clock' | 'reset';

/**
 * Follows the person's change feed while they are the one shown. EventSource reconnects by
 * itself after an error; every (re)connection refetches, since changes made while it was down
 * were not announced.
 */
export function usePersonEvents(userId: string | undefined): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!userId) return;
    const source = new EventSource(sandboxApi.eventsUrl(userId));
    const refetchState = () => client.invalidateQueries({ queryKey: sandboxKeys.state(userId) });
    source.addEventListener('open', refetchState);
    source.addEventListener('change', (event) => {
      const scope = scopeOf(event.data);
      // A reset wipes every person, and may give the clock a new offset: refetch everything.
      if (scope === 'reset') void client.invalidateQueries({ queryKey: sandboxKeys.all });
      else void refetchState();
    });
    return () => source.close();
  }, [client, userId]);
}

function scopeOf(data: unknown): ChangeScope | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const parsed = JSON.parse(data) as { scope?: ChangeScope };
    return parsed.scope;
  } catch {
    return undefined;
  }
}

/** The server's sentence for a failed request, shown as it is. */
export function showError(error: unknown): void {
  notifications.show({
    color: 'red',
    title: 'That did not work',
    message: error instanceof SandboxApiError ? error.message : 'Something went wrong; try again.',
  });
}

/**
 * A request the person makes: the server answers over the change feed, so there is nothing to
 * put in the cache; a failure becomes a notification. `isPending` disables the button that
 * started it.
 */
export function useSandboxAction<Args extends unknown[], Result>(
  request: (...args: Args) => Promise<Result>,
  options: { onSuccess?: (result: Result) => void; onError?: (error: unknown) => void } = {},
) {
  return useMutation({
    mutationFn: (args: Args) => request(...args),
    onSuccess: options.onSuccess,
    onError: options.onError ?? showError,
  });
}
