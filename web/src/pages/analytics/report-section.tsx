import { Anchor, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AnalyticsCell } from '../../api/analytics.ts';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatCell, type Measure } from './cells.ts';

/**
 * One report of the page: its heading, what it counts, a "Download CSV" link with the page's
 * filters, and its loading and error states (a 400's message shown in place).
 */
export function ReportSection<T>({
  title,
  description,
  csvUrl,
  csvName,
  query,
  children,
}: {
  title: string;
  description: string;
  csvUrl: string;
  /** What the CSV holds, read after "Download CSV" by screen readers: several links sit on one page. */
  csvName: string;
  query: { data: T | undefined; error: unknown; isPending: boolean };
  children: (data: T) => ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline" wrap="wrap">
          <Title order={2} size="h3">
            {title}
          </Title>
          <Anchor href={csvUrl} download>
            Download CSV<VisuallyHidden> of {csvName}</VisuallyHidden>
          </Anchor>
        </Group>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        <QueryState query={query}>{children}</QueryState>
      </Stack>
    </Paper>
  );
}

/** A table cell holding an analytics number, right-aligned like every number. */
export function CellTd({
  cell,
  measure,
  minGroup,
}: {
  cell: AnalyticsCell;
  measure: Measure;
  minGroup: number;
}) {
  return (
    <Table.Td
      ta="right"
      data-suppressed={cell.suppressed || undefined}
      c={cell.suppressed ? 'dimmed' : undefined}
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatCell(cell, measure, minGroup)}
    </Table.Td>
  );
}

/** A column of numbers in a {@link CellTable}. */
export interface CellColumn<K extends string> {
  key: K;
  label: string;
  measure: Measure;
}

/**
 * A table with one heading cell per row and one number cell per column, each number shown as
 * the API gave it ("fewer than k" when suppressed). Every row carries `data-<rowAttribute>`
 * with its key, so tests and CSV checks can find a row by its date or family.
 */
export function CellTable<R, K extends string>(props: {
  label: string;
  minWidth: number;
  testId: string;
  rowHeading: string;
  rowAttribute: string;
  columns: readonly CellColumn<K>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  rowLabel: (row: R) => string;
  cell: (row: R, key: K) => AnalyticsCell;
  minGroup: number;
}) {
  const { columns, minGroup } = props;
  return (
    <ScrollTable label={props.label} minWidth={props.minWidth}>
      <Table striped data-testid={props.testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{props.rowHeading}</Table.Th>
            {columns.map((column) => (
              <Table.Th key={column.key} ta="right">
                {column.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.rows.map((row) => (
            <Table.Tr
              key={props.rowKey(row)}
              {...{ [`data-${props.rowAttribute}`]: props.rowKey(row) }}
            >
              <Table.Th scope="row" fw="normal" style={{ whiteSpace: 'nowrap' }}>
                {props.rowLabel(row)}
              </Table.Th>
              {columns.map((column) => (
                <CellTd
                  key={column.key}
                  cell={props.cell(row, column.key)}
                  measure={column.measure}
                  minGroup={minGroup}
                />
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
