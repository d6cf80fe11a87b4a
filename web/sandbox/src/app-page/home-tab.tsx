/**
 * The App Home tab: the view the bot publishes with views.publish. Showing it tells the bot, as
 * Slack's app_home_opened does, and that is when the bot (re)publishes it.
 */
import { Center, Loader, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { type Person, sandboxApi, type View } from '../api/client.ts';
import { useSandboxAction } from '../api/queries.ts';
import { SurfaceBlocks } from './surface-blocks.tsx';

export function HomeTab({
  person,
  home,
  users,
  active,
}: {
  person: Person;
  home: View | null;
  users: Record<string, string>;
  active: boolean;
}) {
  useHomeOpened(person.userId, active, home === null);
  return (
    <div className="sb-scroll">
      {home ? (
        <SurfaceBlocks
          person={person}
          container={{ type: 'view', viewId: home.id }}
          blocks={home.blocks}
          version={home.hash ?? home.blocks}
          users={users}
        />
      ) : (
        <Center p="xl" style={{ flexDirection: 'column', gap: 8 }}>
          <Loader size="sm" aria-hidden />
          <Text c="dimmed">Blindspot is putting your Home tab together…</Text>
        </Center>
      )}
    </div>
  );
}

/**
 * Sends app_home_opened when the tab is shown (first view, back from Messages, another person)
 * and again when the Home view is gone (after a reset), but not when the bot's publish arrives.
 */
function useHomeOpened(userId: string, active: boolean, missing: boolean): void {
  const { mutate } = useSandboxAction(sandboxApi.homeOpened);
  const toldFor = useRef<string | undefined>(undefined);
  // A hidden tab panel (React's <Activity>) runs its effects' clean-ups: showing it again is a
  // new opening.
  useEffect(
    () => () => {
      toldFor.current = undefined;
    },
    [],
  );
  useEffect(() => {
    if (!active) {
      toldFor.current = undefined;
      return;
    }
    if (toldFor.current === userId && !missing) return;
    toldFor.current = userId;
    mutate([userId]);
  }, [userId, active, missing, mutate]);
}
