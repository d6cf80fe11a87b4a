/**
 * The time machine: the sandbox clock in the person's time zone, and jumps to the moments the
 * loop turns on (the next note, the check-back date, a day later). The server moves the clock of
 * the sandbox's own database; the bot and the workers see that clock and nothing else changes.
 */
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '../../../src/components/confirm-button.tsx';
import { type ClockJump, type Person, SandboxApiError, sandboxApi } from '../api/client.ts';
import { sandboxKeys, showError, useSandboxAction } from '../api/queries.ts';
import { dayAndTime } from '../time.ts';

const JUMPS: { jump: ClockJump; label: string }[] = [
  { jump: 'next-delivery', label: 'Next delivery' },
  { jump: 'check-back', label: 'Check-back date' },
  { jump: 'plus-day', label: '+1 day' },
];

export function TimeMachine({ person, now }: { person: Person; now: Date }) {
  const client = useQueryClient();
  const refetchAll = () => client.invalidateQueries({ queryKey: sandboxKeys.all });
  const jump = useSandboxAction(sandboxApi.jump, {
    onSuccess: (result) => {
      notifications.show({ title: 'Time machine', message: result.what });
      void refetchAll();
    },
    // 409: nothing is scheduled yet; the server's sentence says what to do first.
    onError: (error) =>
      error instanceof SandboxApiError && error.status === 409
        ? notifications.show({
            color: 'yellow',
            title: 'Nothing to jump to',
            message: error.message,
          })
        : showError(error),
  });
  const reset = useSandboxAction(sandboxApi.reset, {
    onSuccess: () => {
      notifications.show({
        title: 'Sandbox reset',
        message:
          'Everyone starts over: no sign-ups, notes or actions, and the clock is back to now.',
      });
      void refetchAll();
    },
  });

  return (
    <Group
      component="section"
      aria-label="Time machine"
      px="md"
      py="xs"
      gap="xs"
      justify="space-between"
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
    >
      <Text size="sm">
        <Text span fw={700}>
          {dayAndTime(now, person.timeZone)}
        </Text>{' '}
        · {person.timeZone}
      </Text>
      <Group gap={6}>
        {JUMPS.map(({ jump: which, label }) => (
          <Button
            key={which}
            size="compact-sm"
            variant="light"
            loading={jump.isPending && jump.variables?.[1] === which}
            disabled={jump.isPending || reset.isPending}
            onClick={() => jump.mutate([person.userId, which])}
          >
            {label}
          </Button>
        ))}
        <ConfirmButton
          size="compact-sm"
          label="Reset sandbox"
          question="Wipe everything, for every person?"
          loading={reset.isPending}
          disabled={jump.isPending}
          onConfirm={() => reset.mutate([])}
        />
      </Group>
    </Group>
  );
}
