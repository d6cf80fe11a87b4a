import { Anchor, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AnalyticsCell } from '../../api/analytics.ts';
import { QueryState } from '../../components/query-state.tsx';
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
