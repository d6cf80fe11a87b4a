import { Table } from '@mantine/core';
import {
  type AnalyticsCell,
  type AnalyticsFilters,
  analyticsCsvUrl,
  useActivityReport,
} from '../../api/analytics.ts';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatCell } from './cells.ts';
import { ReportSection } from './report-section.tsx';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/**
 * A cell's shade: the busier the hour, the stronger the tint, at most 40% so the number on it
 * keeps its contrast in both colour schemes. The number is always written too: colour alone
 * must not carry meaning (WCAG 1.4.1).
 */
function shade(cell: AnalyticsCell | undefined, max: number): string | undefined {
  if (!cell || cell.value === null || cell.value === 0 || max === 0) return undefined;
  const percent = Math.round(8 + 32 * (cell.value / max));
  return `color-mix(in srgb, var(--mantine-color-indigo-5) ${percent}%, transparent)`;
}

export function ActivitySection({ filters }: { filters: AnalyticsFilters }) {
  const report = useActivityReport(filters);
  return (
    <ReportSection
      title="Activity"
      description="Answers to reminders and about action items, by the manager's local weekday and hour: when managers answer. Summed over the whole range."
      csvUrl={analyticsCsvUrl('activity', filters)}
      csvName="activity"
      query={report}
    >
      {(data) => {
        const cells = new Map(data.cells.map((cell) => [`${cell.isoWeekday}:${cell.hour}`, cell]));
        const max = Math.max(0, ...data.cells.map((cell) => cell.answers.value ?? 0));
        return (
          <ScrollTable label="Answers by weekday and hour" minWidth={1100}>
            <Table withColumnBorders data-testid="activity-table" fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Weekday</Table.Th>
                  {HOURS.map((hour) => (
                    <Table.Th key={hour} ta="center" px={2}>
                      {String(hour).padStart(2, '0')}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {WEEKDAYS.map((weekday, index) => (
                  <Table.Tr key={weekday}>
                    <Table.Th scope="row" fw="normal" style={{ whiteSpace: 'nowrap' }}>
                      {weekday}
                    </Table.Th>
                    {HOURS.map((hour) => {
                      const cell = cells.get(`${index + 1}:${hour}`)?.answers;
                      return (
                        <Table.Td
                          key={hour}
                          ta="center"
                          px={2}
                          data-cell={`${index + 1}:${hour}`}
                          style={{ background: shade(cell, max) }}
                          title={`${weekday} ${String(hour).padStart(2, '0')}:00`}
                        >
                          {cell ? formatCell(cell, 'count', data.minGroup) : ''}
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        );
      }}
    </ReportSection>
  );
}
