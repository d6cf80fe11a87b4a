/**
 * The catalogue: search and filters (the list API's own), and a table of the topics with how
 * often each was sent and how useful managers found it. A number behind fewer than k managers
 * comes back suppressed, and is shown as "fewer than k", never as a number. Each topic shows
 * the languages it has and lacks, and the list can keep only those missing German or French.
 */
import { Button, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { type ListedTopic, type TopicQuery, useTopics } from '../../api/topics.ts';
import { formatDateTime } from '../../components/dates.ts';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { familyName, familyOptions } from '../../families.ts';
import { Link, navigate } from '../../router.tsx';
import { inWorkspace } from './workspace.tsx';

interface Filters {
  q: string;
  category: string;
  status: 'active' | 'retired' | 'all';
  sort: NonNullable<TopicQuery['sort']>;
  minUsefulness: number | string;
  minTimesSent: number | string;
  /** '' for any; otherwise only topics without a translation into this language. */
  missing: '' | 'de' | 'fr';
}

const SORTS: { value: Filters['sort']; label: string }[] = [
  { value: 'category', label: 'Family' },
  { value: 'title', label: 'Title' },
  { value: 'updated', label: 'Recently changed' },
  { value: 'timesSent', label: 'Times sent' },
  { value: 'usefulness', label: 'Usefulness' },
];

function toQuery(filters: Filters): TopicQuery {
  const query: TopicQuery = { status: filters.status, sort: filters.sort };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.category) query.category = filters.category;
  if (typeof filters.minUsefulness === 'number') query.minUsefulness = filters.minUsefulness;
  if (typeof filters.minTimesSent === 'number') query.minTimesSent = filters.minTimesSent;
  if (filters.missing) query.missing = filters.missing;
  return query;
}

/** A statistic, or "fewer than k" with the k the API suppressed it under (ANALYTICS_MIN_GROUP). */
function statCell(cell: ListedTopic['timesSent'], digits: number, minGroup: number): string {
  if (cell.suppressed || cell.value === null) return `fewer than ${minGroup}`;
  return cell.value.toFixed(digits);
}

const LANGUAGE_NAMES: Record<string, string> = { de: 'German', fr: 'French' };

/** "en, de · missing fr": English always (it is the topic), then what it has and lacks. */
function languagesCell(topic: ListedTopic): string {
  const has = ['en', ...topic.translations].join(', ');
  if (topic.missingTranslations.length === 0) return has;
  const missing = topic.missingTranslations.map((code) => LANGUAGE_NAMES[code] ?? code);
  return `${has} · missing ${missing.join(', ')}`;
}

export function TopicList({ teamId, canEdit }: { teamId: string; canEdit: boolean }) {
  const initial: Filters = {
    q: '',
    category: '',
    status: 'active',
    sort: 'category',
    minUsefulness: '',
    minTimesSent: '',
    missing: '',
  };
  const [filters, setFilters] = useState<Filters>(initial);
  const form = useForm<Filters>({ initialValues: initial });
  const topics = useTopics(teamId, toQuery(filters));
  // Every family, retired topics' too, for the filter's choices.
  const all = useTopics(teamId, { status: 'all' });
  const families = [...new Set((all.data?.topics ?? []).map((topic) => topic.category))].sort();
  return (
    <Stack>
      <form aria-label="Filter topics" onSubmit={form.onSubmit(setFilters)}>
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Search" maxLength={200} {...form.getInputProps('q')} />
          <Select
            label="Family"
            data={[{ value: '', label: 'All families' }, ...familyOptions(families)]}
            allowDeselect={false}
            {...form.getInputProps('category')}
          />
          <Select
            label="Status"
            allowDeselect={false}
            data={[
              { value: 'active', label: 'Active' },
              { value: 'retired', label: 'Retired' },
              { value: 'all', label: 'All' },
            ]}
            {...form.getInputProps('status')}
          />
          <Select
            label="Sort by"
            allowDeselect={false}
            data={SORTS}
            {...form.getInputProps('sort')}
          />
          <NumberInput
            label="Usefulness at least"
            min={1}
            max={5}
            step={0.5}
            decimalScale={1}
            w={160}
            {...form.getInputProps('minUsefulness')}
          />
          <NumberInput
            label="Sent at least"
            min={0}
            allowDecimal={false}
            w={140}
            {...form.getInputProps('minTimesSent')}
          />
          <Select
            label="Translations"
            allowDeselect={false}
            data={[
              { value: '', label: 'Any' },
              { value: 'de', label: 'Missing German' },
              { value: 'fr', label: 'Missing French' },
            ]}
            {...form.getInputProps('missing')}
          />
          <Button type="submit">Filter</Button>
          {canEdit && (
            <Button variant="light" onClick={() => navigate(inWorkspace('/topics/new', teamId))}>
              New topic
            </Button>
          )}
        </Group>
      </form>
      <QueryState query={topics}>
        {({ topics: list, minGroup }) =>
          list.length === 0 ? (
            <Text c="dimmed">No topics match.</Text>
          ) : (
            <ScrollTable label="Topics" minWidth={880}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Title</Table.Th>
                    <Table.Th>Family</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Languages</Table.Th>
                    <Table.Th>Times sent</Table.Th>
                    <Table.Th>Usefulness (1–5)</Table.Th>
                    <Table.Th>Changed</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((topic) => (
                    <Table.Tr key={topic.id}>
                      <Table.Td>
                        <Link to={inWorkspace(`/topics/${topic.id}`, teamId)}>{topic.title}</Link>
                      </Table.Td>
                      <Table.Td>{familyName(topic.category)}</Table.Td>
                      <Table.Td>{topic.retiredAt ? 'Retired' : 'Active'}</Table.Td>
                      <Table.Td>{languagesCell(topic)}</Table.Td>
                      <Table.Td>{statCell(topic.timesSent, 0, minGroup)}</Table.Td>
                      <Table.Td>{statCell(topic.meanUsefulness, 1, minGroup)}</Table.Td>
                      <Table.Td>
                        {formatDateTime(topic.updatedAt)} (rev. {topic.revision})
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryState>
    </Stack>
  );
}
