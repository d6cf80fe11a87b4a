/**
 * The DM with the bot: messages oldest first, each thread's replies under their parent, and the
 * composer at the bottom. New messages scroll into view, as in Slack.
 */
import { Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useRef } from 'react';
import type { Person, PersonState, Session } from '../api/client.ts';
import { Composer } from './composer.tsx';
import { type MessageContext, MessageWithThread } from './message-item.tsx';
import { groupThreads } from './threads.ts';

export function MessagesTab({
  person,
  bot,
  state,
  now,
  active,
}: {
  person: Person;
  bot: Session['bot'];
  state: PersonState;
  now: Date;
  active: boolean;
}) {
  const threads = useMemo(() => groupThreads(state.dm), [state.dm]);
  const end = useRef<HTMLDivElement>(null);
  // On a new message, and when the tab is shown, the latest message comes into view.
  const latestTs = state.dm.at(-1)?.ts;
  useEffect(() => {
    if (active && latestTs !== undefined) end.current?.scrollIntoView({ block: 'end' });
  }, [active, latestTs]);
  const context: MessageContext = { person, bot, users: state.users, now };

  return (
    <>
      <div className="sb-scroll">
        {threads.length === 0 ? (
          <Text c="dimmed" p="md">
            This is the start of your conversation with {bot.name}. Type <code>/blindspot</code>{' '}
            below to sign up.
          </Text>
        ) : (
          <Stack
            component="ol"
            gap={2}
            m={0}
            p={0}
            style={{ listStyle: 'none' }}
            aria-label={`Conversation with ${bot.name}`}
          >
            {threads.map(({ parent, replies }) => (
              <MessageWithThread
                key={parent.ts}
                message={parent}
                replies={replies}
                context={context}
              />
            ))}
          </Stack>
        )}
        <div ref={end} />
      </div>
      <Composer person={person} />
    </>
  );
}
