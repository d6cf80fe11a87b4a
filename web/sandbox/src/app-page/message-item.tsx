/**
 * One message of the DM as Slack shows it: avatar, name, time on the sandbox clock in the
 * person's time zone, then the blocks (or the text when there are none). A parent shows its
 * thread's replies under it and a Reply action that opens a small composer.
 */
import { Avatar, Badge, Box, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Mrkdwn } from '../../../src/block-kit/index.ts';
import type { Message, Person, Session } from '../api/client.ts';
import { dateOfTs, messageTime } from '../time.ts';
import { initials } from '../workspace/sidebar.tsx';
import { ThreadComposer } from './composer.tsx';
import { SurfaceBlocks } from './surface-blocks.tsx';

export interface MessageContext {
  person: Person;
  bot: Session['bot'];
  users: Record<string, string>;
  now: Date;
}

export function MessageWithThread({
  message,
  replies,
  context,
}: {
  message: Message;
  replies: Message[];
  context: MessageContext;
}) {
  const [replying, setReplying] = useState(false);
  // Ephemeral messages live only in the person's client: Slack offers no thread on them.
  const canReply = !message.ephemeral;
  return (
    <Box component="li">
      <MessageItem
        message={message}
        context={context}
        onReply={canReply ? () => setReplying(true) : undefined}
      />
      {(replies.length > 0 || replying) && (
        <Stack
          className="sb-thread"
          gap={0}
          component="section"
          aria-label={`Thread: ${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`}
        >
          {replies.length > 0 && (
            <Text size="xs" c="dimmed" fw={600} px={8}>
              {replies.length} {replies.length === 1 ? 'reply' : 'replies'}
            </Text>
          )}
          {replies.map((reply) => (
            <MessageItem key={reply.ts} message={reply} context={context} />
          ))}
          {replying && (
            <ThreadComposer
              person={context.person}
              threadTs={message.ts}
              onDone={() => setReplying(false)}
            />
          )}
        </Stack>
      )}
    </Box>
  );
}

function MessageItem({
  message,
  context,
  onReply,
}: {
  message: Message;
  context: MessageContext;
  onReply?: () => void;
}) {
  const { person, bot, users, now } = context;
  const fromBot = message.user === bot.userId;
  const name = fromBot
    ? bot.name
    : (users[message.user] ?? (message.user === person.userId ? person.name : message.user));
  const sent = dateOfTs(message.ts);

  return (
    <Group
      className="sb-message"
      data-ephemeral={message.ephemeral ? 'true' : undefined}
      align="flex-start"
      gap="sm"
      wrap="nowrap"
    >
      <Avatar radius="sm" color={fromBot ? 'teal' : 'grape'} variant="filled" aria-hidden>
        {fromBot ? bot.name.slice(0, 1) : initials(name)}
      </Avatar>
      <Box style={{ flex: 1, minWidth: 0 }}>
        {message.ephemeral && (
          <Text size="xs" c="dimmed" fs="italic">
            Only visible to you
          </Text>
        )}
        <Group gap={6} wrap="wrap">
          <Text fw={700} size="sm">
            {name}
          </Text>
          {fromBot && (
            <Badge size="xs" radius="sm" variant="light" color="gray">
              App
            </Badge>
          )}
          <Text size="xs" c="dimmed" component="time" dateTime={sent.toISOString()}>
            {messageTime(sent, now, person.timeZone)}
          </Text>
          {message.edited && (
            <Text size="xs" c="dimmed">
              (edited)
            </Text>
          )}
        </Group>
        {message.blocks && message.blocks.length > 0 ? (
          <SurfaceBlocks
            person={person}
            container={{ type: 'message', messageTs: message.ts }}
            blocks={message.blocks}
            version={message.blocks}
            users={users}
          />
        ) : (
          <Mrkdwn text={message.text} users={users} />
        )}
        {onReply && (
          <Button variant="subtle" size="compact-xs" mt={2} onClick={onReply}>
            Reply
          </Button>
        )}
      </Box>
    </Group>
  );
}
