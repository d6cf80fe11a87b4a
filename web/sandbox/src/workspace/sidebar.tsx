/**
 * Slack's left sidebar, reduced: the workspace, the people a newcomer can play (each in their own
 * time zone, with their local time on the sandbox clock), the one app, and what to try.
 */
import { Avatar, Box, CloseButton, Group, Stack, Text, Title } from '@mantine/core';
import type { Person } from '../api/client.ts';
import { timeOfDay } from '../time.ts';

export function Sidebar({
  people,
  chosen,
  now,
  onChoose,
  onClose,
}: {
  people: Person[];
  chosen: string | undefined;
  now: Date;
  onChoose: (userId: string) => void;
  /** On a phone the sidebar covers the page, and the menu button with it. */
  onClose: () => void;
}) {
  return (
    <Stack gap={0}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={800} size="lg">
          Blindspot sandbox
        </Text>
        <CloseButton
          hiddenFrom="sm"
          c="var(--sb-sidebar-text)"
          aria-label="Close the workspace menu"
          onClick={onClose}
        />
      </Group>
      <Text size="xs" className="sb-sidebar-muted">
        A made-up workspace to try Blindspot in
      </Text>

      <Title order={2} className="sb-sidebar-heading">
        Play as
      </Title>
      <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {people.map((person) => (
          <li key={person.userId}>
            <PersonButton
              person={person}
              current={person.userId === chosen}
              now={now}
              onChoose={onChoose}
            />
          </li>
        ))}
      </Stack>

      <Title order={2} className="sb-sidebar-heading">
        Apps
      </Title>
      <Box className="sb-sidebar-item" aria-current="true">
        <Avatar size={20} radius="sm" color="teal" variant="filled" aria-hidden>
          B
        </Avatar>
        <Text size="sm">Blindspot</Text>
      </Box>

      <Title order={2} className="sb-sidebar-heading">
        Try it
      </Title>
      <ol>
        <li>
          Sign up: type <code>/blindspot</code> in Messages, or press the button on Home.
        </li>
        <li>Press “Next delivery” to jump to your first note.</li>
        <li>Plan an action: reply in the note’s thread, or press “Plan an action”.</li>
        <li>Press “Check-back date” to jump to the day Blindspot asks how it went.</li>
        <li>Answer “Done”, and say how it went (or skip that).</li>
        <li>Open Home to see your streak.</li>
      </ol>
    </Stack>
  );
}

function PersonButton({
  person,
  current,
  now,
  onChoose,
}: {
  person: Person;
  current: boolean;
  now: Date;
  onChoose: (userId: string) => void;
}) {
  const detailsId = `person-${person.userId}-details`;
  // The button holds the name alone, so it is named "Ada Osei" exactly; the title, zone and
  // local time describe it. Its click area stretches over the whole row (sandbox.css).
  return (
    <div className="sb-sidebar-item sb-person" data-current={current || undefined}>
      <Avatar size={32} radius="sm" color="grape" variant="filled" aria-hidden>
        {initials(person.name)}
      </Avatar>
      <div>
        <button
          type="button"
          className="sb-person-button"
          aria-describedby={detailsId}
          aria-current={current ? 'true' : undefined}
          onClick={() => onChoose(person.userId)}
        >
          {person.name}
        </button>
        <Text size="xs" className="sb-sidebar-muted" id={detailsId}>
          {person.title}
          <br />
          {person.timeZone} · {timeOfDay(now, person.timeZone)}
        </Text>
      </div>
    </div>
  );
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
}
