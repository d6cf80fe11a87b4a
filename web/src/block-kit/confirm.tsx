import { Button, Group, Modal, Stack } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { plainText } from './inspect.ts';
import { TextObjectView } from './mrkdwn.tsx';
import { record } from './read.ts';

/**
 * An element's `confirm` dialog: `ask(run)` runs `run` at once when the element has none, and
 * otherwise only after the person confirms. Slack sends nothing when they deny, and neither do we.
 */
export function useConfirm(
  confirm: unknown,
  users: Readonly<Record<string, string>> | undefined,
): { ask: (run: () => void) => void; dialog: ReactNode } {
  const [pending, setPending] = useState<(() => void) | null>(null);
  const object = record(confirm);
  if (!object) return { ask: (run) => run(), dialog: null };
  const close = () => setPending(null);
  const dialog = (
    <Modal
      opened={pending !== null}
      onClose={close}
      title={plainText(object.title) || 'Are you sure?'}
      centered
    >
      <Stack>
        <TextObjectView value={object.text} users={users} />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={close}>
            {plainText(object.deny) || 'Cancel'}
          </Button>
          <Button
            color={object.style === 'danger' ? 'red' : 'green'}
            onClick={() => {
              close();
              pending?.();
            }}
          >
            {plainText(object.confirm) || 'Yes'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  // A function in state must be wrapped, or React would call it as an updater.
  return { ask: (run) => setPending(() => run), dialog };
}
