import { Button, type ButtonProps, Group, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

/** A button for a change that is hard to undo: the first press asks, the second does it. */
export function ConfirmButton(
  props: ButtonProps & { label: string; question: string; onConfirm: () => void },
) {
  const { label, question, onConfirm, ...rest } = props;
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  // The pressed button is replaced by the question: keep keyboard focus on the answer.
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <Button color="red" variant="light" {...rest} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <Group gap="xs" role="group" aria-label={question}>
      <Text size="sm">{question}</Text>
      <Button
        ref={yes}
        color="red"
        size="xs"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </Button>
      <Button variant="default" size="xs" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </Group>
  );
}
