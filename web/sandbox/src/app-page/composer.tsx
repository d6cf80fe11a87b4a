/**
 * The message box under the DM. As in Slack, text that starts with "/" is a command: here only
 * `/blindspot …` exists, and a hint lists its subcommands; anything else is a DM to the bot.
 * Enter sends, Shift+Enter starts a new line.
 */
import { Button, Group, Paper, Stack, Text, Textarea, UnstyledButton } from '@mantine/core';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { type Person, sandboxApi } from '../api/client.ts';
import { useSandboxAction } from '../api/queries.ts';
import { commandHints, parseComposerText } from './composer-text.ts';

export function Composer({ person }: { person: Person }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const input = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const clear = () => {
    setText('');
    setProblem(undefined);
  };
  const command = useSandboxAction(sandboxApi.command, { onSuccess: clear });
  const message = useSandboxAction(sandboxApi.message, { onSuccess: clear });
  const busy = command.isPending || message.isPending;
  const trimmed = text.trim();
  const hints = commandHints(text);

  const send = () => {
    if (busy || !trimmed) return;
    const parsed = parseComposerText(text);
    if (parsed.kind === 'unknown-command') {
      setProblem(`${parsed.name} is not a command here. Only /blindspot works in this sandbox.`);
      return;
    }
    if (parsed.kind === 'command') command.mutate([person.userId, parsed.text]);
    else message.mutate([person.userId, parsed.text]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <Stack className="sb-composer" gap={6}>
      {hints.length > 0 && (
        <Paper withBorder p={4} id={hintId} role="group" aria-label="Commands">
          {hints.map((hint) => (
            <UnstyledButton
              key={hint.text}
              display="block"
              w="100%"
              px={8}
              py={4}
              className="sb-message"
              onClick={() => {
                setText(hint.text);
                input.current?.focus();
              }}
            >
              <Text span size="sm" fw={700} ff="monospace">
                {hint.text}
              </Text>{' '}
              <Text span size="sm" c="dimmed">
                {hint.what}
              </Text>
            </UnstyledButton>
          ))}
        </Paper>
      )}
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <Textarea
          ref={input}
          style={{ flex: 1 }}
          aria-label="Message Blindspot"
          placeholder="Message Blindspot, or type / for commands"
          autosize
          minRows={1}
          maxRows={6}
          value={text}
          error={problem}
          aria-describedby={hints.length > 0 ? hintId : undefined}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setProblem(undefined);
          }}
          onKeyDown={onKeyDown}
        />
        <Button color="teal" loading={busy} disabled={!trimmed} onClick={send}>
          Send
        </Button>
      </Group>
    </Stack>
  );
}

/** The small composer under a thread: a reply is always a message, never a command. */
export function ThreadComposer({
  person,
  threadTs,
  onDone,
}: {
  person: Person;
  threadTs: string;
  onDone: () => void;
}) {
  const [text, setText] = useState('');
  const reply = useSandboxAction(sandboxApi.message, { onSuccess: () => setText('') });
  const send = () => {
    if (!reply.isPending && text.trim()) reply.mutate([person.userId, text.trim(), threadTs]);
  };
  return (
    <Stack gap={4} p={8}>
      <Textarea
        aria-label="Reply in thread"
        placeholder="Reply…"
        autosize
        minRows={1}
        maxRows={4}
        value={text}
        // The person pressed Reply to write here.
        data-autofocus
        autoFocus
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            send();
          }
          if (event.key === 'Escape') onDone();
        }}
      />
      <Group gap="xs" justify="flex-end">
        <Button variant="default" size="compact-sm" onClick={onDone}>
          Cancel
        </Button>
        <Button
          color="teal"
          size="compact-sm"
          loading={reply.isPending}
          disabled={!text.trim()}
          onClick={send}
        >
          Post reply
        </Button>
      </Group>
    </Stack>
  );
}
