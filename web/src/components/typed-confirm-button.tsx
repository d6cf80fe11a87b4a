import { Button, type ButtonProps, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

/**
 * A button for what cannot be undone at all (erasure): the first press asks the person to type
 * `expected`, and the final button works only once they have. The API checks the same text.
 */
export function TypedConfirmButton(
  props: ButtonProps & {
    label: string;
    /** What is lost, in one sentence. */
    warning: string;
    /** What must be typed: a Slack user id, a workspace's name. */
    expected: string;
    onConfirm: (typed: string) => void;
  },
) {
  const { label, warning, expected, onConfirm, ...rest } = props;
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (asking) input.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <Button color="red" variant="light" {...rest} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  const close = () => {
    setAsking(false);
    setTyped('');
  };
  return (
    <Stack gap="xs" role="group" aria-label={label} maw={420}>
      <Text size="sm">{warning}</Text>
      <TextInput
        ref={input}
        size="xs"
        label={
          <>
            Type <code>{expected}</code> to confirm
          </>
        }
        value={typed}
        onChange={(event) => setTyped(event.currentTarget.value)}
        autoComplete="off"
      />
      <Group gap="xs">
        <Button
          color="red"
          size="xs"
          disabled={typed.trim() !== expected}
          onClick={() => {
            onConfirm(typed);
            close();
          }}
        >
          {label}
        </Button>
        <Button variant="default" size="xs" onClick={close}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
