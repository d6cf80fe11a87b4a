import { Badge, Button, Table, Text } from '@mantine/core';
import type { SessionSummary } from '../api/types.ts';
import { formatDateTime } from './dates.ts';
import { ScrollTable } from './scroll-table.tsx';

/** Sessions with their device and address, each with a revoke button (except the current one). */
export function SessionsTable({
  sessions,
  onRevoke,
  revoking,
}: {
  sessions: SessionSummary[];
  onRevoke: (id: string) => void;
  revoking: boolean;
}) {
  if (sessions.length === 0) return <Text c="dimmed">No active sessions.</Text>;
  return (
    <ScrollTable label="Sessions" minWidth={560}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>Signed in</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th>
              <span className="mantine-visually-hidden">Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((session) => (
            <Table.Tr key={session.id}>
              <Table.Td maw={260} style={{ wordBreak: 'break-word' }}>
                {session.userAgent ?? 'Unknown'}{' '}
                {session.current && <Badge variant="light">This session</Badge>}
              </Table.Td>
              <Table.Td>{session.address ?? '—'}</Table.Td>
              <Table.Td>{formatDateTime(session.createdAt)}</Table.Td>
              <Table.Td>{formatDateTime(session.lastSeenAt)}</Table.Td>
              <Table.Td>
                {!session.current && (
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    disabled={revoking}
                    onClick={() => onRevoke(session.id)}
                  >
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
