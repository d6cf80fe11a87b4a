import { Table, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import {
  type AnalyticsCell,
  type AnalyticsFilters,
  analyticsCsvUrl,
  type TopicReport,
  useTopicReport,
} from '../../api/analytics.ts';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { familyName } from '../../families.ts';
import { compareCells } from './cells.ts';
import { type CellColumn, CellTable, CellTd, ReportSection } from './report-section.tsx';

type Row = TopicReport['topics'][number];
type NumberKey = 'sent' | 'actionRate' | 'completionRate' | 'meanUsefulness' | 'notRelevantRate';
type SortKey = 'title' | 'family' | NumberKey;

const NUMBERS: CellColumn<NumberKey>[] = [
  { key: 'sent', label: 'Sent', measure: 'count' },
  { key: 'actionRate', label: 'Led to an action', measure: 'rate' },
  { key: 'completionRate', label: 'Actions completed', measure: 'rate' },
  { key: 'meanUsefulness', label: 'Usefulness (1–5)', measure: 'mean' },
  { key: 'notRelevantRate', label: '"Not relevant"', measure: 'rate' },
];

function sortRows(rows: Row[], key: SortKey, direction: 1 | -1): Row[] {
  return [...rows].sort((a, b) => {
    if (key === 'title' || key === 'family') return a[key].localeCompare(b[key]) * direction;
    return compareCells(a[key] as AnalyticsCell, b[key] as AnalyticsCell, direction);
  });
}

/** A column heading that sorts the table; aria-sort tells screen readers the current order. */
function SortableTh({
  label,
  column,
  sort,
  onSort,
  numeric,
}: {
  label: string;
  column: SortKey;
  sort: { key: SortKey; direction: 1 | -1 };
  onSort: (key: SortKey) => void;
  numeric: boolean;
}) {
  const active = sort.key === column;
  const arrow = active ? (sort.direction === 1 ? ' ▲' : ' ▼') : '';
  return (
    <Table.Th
      ta={numeric ? 'right' : undefined}
      aria-sort={active ? (sort.direction === 1 ? 'ascending' : 'descending') : undefined}
    >
      <UnstyledButton onClick={() => onSort(column)} fw={700} fz="sm">
        {label}
        <span aria-hidden="true">{arrow}</span>
      </UnstyledButton>
    </Table.Th>
  );
}

export function TopicsSection({ filters }: { filters: AnalyticsFilters }) {
  const report = useTopicReport(filters);
  // Numbers first biggest, names A to Z: what a first click on a heading usually wants.
  const [sort, setSort] = useState<{ key: SortKey; direction: 1 | -1 }>({
    key: 'sent',
    direction: -1,
  });
  const onSort = (key: SortKey) =>
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 1 ? -1 : 1 }
        : { key, direction: key === 'title' || key === 'family' ? 1 : -1 },
    );
  return (
    <ReportSection
      title="Topics"
      description="Over the whole range, per family and per topic: notes sent, the share that led to an action item, how many of those were completed, the mean usefulness managers gave (1 to 5), and the share marked “not relevant”. Click a heading to sort."
      csvUrl={analyticsCsvUrl('topics', filters)}
      csvName="topics"
      query={report}
    >
      {(data) => (
        <>
          <CellTable
            label="Topics per family"
            minWidth={720}
            testId="families-table"
            rowHeading="Family"
            rowAttribute="family"
            columns={NUMBERS}
            rows={data.families}
            rowKey={(family) => family.family}
            rowLabel={(family) => familyName(family.family)}
            cell={(family, key) => family[key]}
            minGroup={data.minGroup}
          />
          {data.topics.length === 0 ? (
            <Text c="dimmed">No topics.</Text>
          ) : (
            <ScrollTable label="Topics" minWidth={900}>
              <Table striped data-testid="topics-table">
                <Table.Thead>
                  <Table.Tr>
                    <SortableTh
                      label="Topic"
                      column="title"
                      sort={sort}
                      onSort={onSort}
                      numeric={false}
                    />
                    <SortableTh
                      label="Family"
                      column="family"
                      sort={sort}
                      onSort={onSort}
                      numeric={false}
                    />
                    {NUMBERS.map((column) => (
                      <SortableTh
                        key={column.key}
                        label={column.label}
                        column={column.key}
                        sort={sort}
                        onSort={onSort}
                        numeric
                      />
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sortRows(data.topics, sort.key, sort.direction).map((topic) => (
                    <Table.Tr key={topic.topicId} data-topic={topic.slug}>
                      <Table.Th scope="row" fw="normal" style={{ whiteSpace: 'nowrap' }}>
                        {topic.title}
                      </Table.Th>
                      <Table.Td>{familyName(topic.family)}</Table.Td>
                      {NUMBERS.map((column) => (
                        <CellTd
                          key={column.key}
                          cell={topic[column.key]}
                          measure={column.measure}
                          minGroup={data.minGroup}
                        />
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </>
      )}
    </ReportSection>
  );
}
