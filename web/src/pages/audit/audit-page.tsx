import { Anchor, Button, Code, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { auditCsvUrl, useAuditEvents } from '../../api/audit.ts';
import type { AuditQuery } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';

const PAGE_SIZE = 50;

interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
}

/** `datetime-local` gives local wall time without a zone; the API wants an instant. */
function toInstant(value: string): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}

function toQuery(filters: Filters, before: string | undefined): AuditQuery {
  const query: Record<string, string | number | undefined> = {
    action: filters.action.trim() || undefined,
    actor: filters.actor.trim() || undefined,
    from: toInstant(filters.from),
    to: toInstant(filters.to),
    before,
    limit: PAGE_SIZE,
  };
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined),
  ) as AuditQuery;
}

/** Every sign-in and admin change, newest first: filter, page back, download as CSV. */
export function AuditPage() {
  const [filters, setFilters] = useState<Filters>({ action: '', actor: '', from: '', to: '' });
  // The cursors of the pages already seen, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const before = cursors.at(-1);
  const query = toQuery(filters, before);
  const events = useAuditEvents(query);
  const form = useForm<Filters>({ initialValues: filters });
  return (
    <Stack>
      <PageTitle>Audit log</PageTitle>
      <Paper withBorder p="md">
        <form
          aria-label="Filter the audit log"
          onSubmit={form.onSubmit((values) => {
            setFilters(values);
            setCursors([undefined]);
          })}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Action"
              placeholder="e.g. sign_in.password_failed"
              maxLength={100}
              {...form.getInputProps('action')}
            />
            <TextInput
              label="Actor"
              placeholder="e.g. admin:…"
              maxLength={200}
              {...form.getInputProps('actor')}
            />
            <TextInput label="From" type="datetime-local" {...form.getInputProps('from')} />
            <TextInput label="To" type="datetime-local" {...form.getInputProps('to')} />
            <Button type="submit">Filter</Button>
            <Anchor href={auditCsvUrl(toQuery(filters, undefined))} download>
              Download CSV
            </Anchor>
          </Group>
        </form>
      </Paper>
      <QueryState query={events}>
        {(page) => (
          <Stack>
            {page.events.length === 0 ? (
              <Text c="dimmed">No events match.</Text>
            ) : (
              <ScrollTable label="Audit events" minWidth={720}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>When</Table.Th>
                      <Table.Th>Who</Table.Th>
                      <Table.Th>Action</Table.Th>
                      <Table.Th>Subject</Table.Th>
                      <Table.Th>Address</Table.Th>
                      <Table.Th>Details</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.events.map((event) => (
                      <Table.Tr key={event.id}>
                        <Table.Td>{formatDateTime(event.at)}</Table.Td>
                        <Table.Td>{event.actorLabel ?? event.actor}</Table.Td>
                        <Table.Td>{event.action}</Table.Td>
                        <Table.Td>
                          {[event.subjectType, event.subjectId].filter(Boolean).join(' ')}
                        </Table.Td>
                        <Table.Td>{event.address ?? '—'}</Table.Td>
                        <Table.Td maw={320}>
                          <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                            {event.details ? JSON.stringify(event.details) : ''}
                          </Code>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            )}
            <Group>
              <Button
                variant="default"
                disabled={cursors.length <= 1}
                onClick={() => setCursors((list) => list.slice(0, -1))}
              >
                Newer
              </Button>
              <Button
                variant="default"
                disabled={!page.nextCursor}
                onClick={() => setCursors((list) => [...list, page.nextCursor ?? undefined])}
              >
                Older
              </Button>
            </Group>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
