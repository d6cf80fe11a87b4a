import { Button, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useSession } from '../../api/auth.ts';
import { describeError } from '../../api/client.ts';
import { useErasePerson, useEraseWorkspace } from '../../api/data-rights.ts';
import { type PeopleStatus, type Person, useChangePerson, usePeople } from '../../api/people.ts';
import { useWorkspaces } from '../../api/topics.ts';
import { hasRole } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { formatDateTime } from '../../components/dates.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { TypedConfirmButton } from '../../components/typed-confirm-button.tsx';
import { WithWorkspace } from '../topics/workspace.tsx';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const STATUS_TEXT: Record<Person['status'], string> = {
  active: 'Active',
  paused: 'Paused',
  lapsed: 'Lapsed',
  unsubscribed: 'Unsubscribed',
  not_subscribed: 'Not signed up',
};

/** Why someone is paused or lapsed, in words; never the manager's own. */
function why(person: Person): string {
  if (person.status === 'lapsed') {
    return `Slack could not deliver to them${person.slackError ? ` (${person.slackError})` : ''}`;
  }
  switch (person.pausedBy) {
    case 'admin':
      return 'Paused by an admin, on request';
    case 'manager':
      return 'Paused by themselves';
    case 'workspace':
      return 'Paused while Blindspot was uninstalled';
    default:
      return '';
  }
}

function schedule(person: Person): string {
  if (person.weekdays.length === 0 || !person.localTime) return '—';
  const days = person.weekdays.map((day) => DAYS[day - 1]).join(', ');
  return `${days} at ${person.localTime} (${person.timeZone})`;
}

/**
 * Managers in a workspace with their subscription, for admins. A manager's action items,
 * answers and reflections are theirs alone: the API never sends them, so nothing here shows them.
 */
export function PeoplePage() {
  return (
    <Stack>
      <PageTitle>People</PageTitle>
      <Text c="dimmed" maw={720}>
        Who gets Blindspot notes, when, and whether they reach them. What managers plan and write
        stays private to them; the analytics page shows engagement in aggregate only.
      </Text>
      <WithWorkspace>
        {(teamId) => (
          <>
            <PeopleTable teamId={teamId} />
            <DangerZone teamId={teamId} />
          </>
        )}
      </WithWorkspace>
    </Stack>
  );
}

function PeopleTable({ teamId }: { teamId: string }) {
  const [status, setStatus] = useState<PeopleStatus | ''>('');
  const people = usePeople(teamId, status || undefined);
  const change = useChangePerson(teamId);
  const erase = useErasePerson(teamId);
  return (
    <Stack>
      <NativeSelect
        label="Status"
        maw={240}
        value={status}
        onChange={(event) => setStatus(event.currentTarget.value as PeopleStatus | '')}
        data={[
          { value: '', label: 'Everyone' },
          { value: 'active', label: 'Active' },
          { value: 'paused', label: 'Paused or lapsed' },
          { value: 'unsubscribed', label: 'Unsubscribed' },
        ]}
      />
      <FormAlert message={change.error ? describeError(change.error) : null} />
      <FormAlert message={erase.error ? describeError(erase.error) : null} />
      {erase.isSuccess && (
        <Text role="status" c="green">
          Erased: nothing about them is left in Blindspot.
        </Text>
      )}
      <QueryState query={people}>
        {(data) => {
          const list = data.pages.flatMap((page) => page.people);
          if (list.length === 0) return <Text c="dimmed">Nobody here yet.</Text>;
          return (
            <>
              <ScrollTable label="People" minWidth={760}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Slack user</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Schedule</Table.Th>
                      <Table.Th>Last note</Table.Th>
                      <Table.Th>
                        <span className="mantine-visually-hidden">Actions</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((person) => (
                      <Table.Tr key={person.slackUserId}>
                        <Table.Td>
                          <code>{person.slackUserId}</code>
                        </Table.Td>
                        <Table.Td>
                          {STATUS_TEXT[person.status]}
                          {why(person) && (
                            <Text size="xs" c="dimmed">
                              {why(person)}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{schedule(person)}</Table.Td>
                        <Table.Td>{formatDateTime(person.lastDeliveredAt)}</Table.Td>
                        <Table.Td>
                          <Actions
                            person={person}
                            onChange={(what) =>
                              change.mutate({ slackUserId: person.slackUserId, change: what })
                            }
                            onErase={(confirmation) =>
                              erase.mutate({ slackUserId: person.slackUserId, confirmation })
                            }
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              {people.hasNextPage && (
                <Button
                  variant="default"
                  w="fit-content"
                  loading={people.isFetchingNextPage}
                  onClick={() => people.fetchNextPage()}
                >
                  Show more
                </Button>
              )}
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}

/** Only on a manager's request: all are audited under the admin's name. */
function Actions(props: {
  person: Person;
  onChange: (what: 'pause' | 'unsubscribe') => void;
  onErase: (confirmation: string) => void;
}) {
  const { person, onChange, onErase } = props;
  const signedUp =
    person.status === 'active' || person.status === 'paused' || person.status === 'lapsed';
  const erase = (
    <TypedConfirmButton
      size="xs"
      label="Erase their data"
      warning="Only if they asked you to. Everything Blindspot holds about them is deleted, for good."
      expected={person.slackUserId}
      onConfirm={onErase}
    />
  );
  if (!signedUp) return erase;
  return (
    <Stack gap={4} align="flex-start">
      {person.status === 'active' && (
        <ConfirmButton
          size="xs"
          label="Pause"
          question="Only if they asked you to."
          onConfirm={() => onChange('pause')}
        />
      )}
      <ConfirmButton
        size="xs"
        label="Unsubscribe"
        question="Only if they asked you to."
        onConfirm={() => onChange('unsubscribe')}
      />
      {erase}
    </Stack>
  );
}

/** Erasing the whole workspace: owners only (the API refuses anyone else). */
function DangerZone({ teamId }: { teamId: string }) {
  const role = useSession().data?.account.role;
  const workspace = useWorkspaces().data?.find((candidate) => candidate.teamId === teamId);
  const erase = useEraseWorkspace(teamId);
  if (!hasRole(role, 'owner') || !workspace) return null;
  const expected = workspace.name ?? workspace.teamId;
  return (
    <Stack mt="xl" gap="xs" aria-labelledby="danger-zone">
      <Title order={2} size="h4" id="danger-zone" c="red">
        Danger zone
      </Title>
      <Text size="sm" maw={720}>
        Erasing this workspace deletes every manager in it, everything they wrote, and its topics.
        The audit log keeps that it happened. Backups still hold the data until they expire.
      </Text>
      <FormAlert message={erase.error ? describeError(erase.error) : null} />
      <TypedConfirmButton
        label="Erase this workspace"
        warning="This cannot be undone."
        expected={expected}
        onConfirm={(typed) => erase.mutate(typed)}
      />
    </Stack>
  );
}
