import { Table } from '@mantine/core';
import {
  type AnalyticsCell,
  type AnalyticsFilters,
  analyticsCsvUrl,
  type DeliveryHealthReport,
  useDeliveryHealthReport,
} from '../../api/analytics.ts';
import { BarChart } from '../../components/charts/bar-chart.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDay, formatValue, type Measure } from './cells.ts';
import { CellTd, ReportSection } from './report-section.tsx';

type Day = DeliveryHealthReport['days'][number];

const COLUMNS: { key: Exclude<keyof Day, 'day'>; label: string; measure: Measure }[] = [
  { key: 'due', label: 'Due', measure: 'count' },
  { key: 'onTime', label: 'On time', measure: 'count' },
  { key: 'late', label: 'Late', measure: 'count' },
  { key: 'missed', label: 'Missed', measure: 'count' },
  { key: 'failed', label: 'Failed', measure: 'count' },
  { key: 'latenessP50Ms', label: 'Lateness p50', measure: 'ms' },
  { key: 'latenessP99Ms', label: 'Lateness p99', measure: 'ms' },
  { key: 'rateLimited', label: 'Slack rate limits', measure: 'count' },
  { key: 'slackErrors', label: 'Other Slack errors', measure: 'count' },
];

/**
 * Late, missed and failed together: hidden when any part is (a sum with a hidden part would
 * let the hidden part be worked out), no data when none has any.
 */
export function notOnTime(day: Day): AnalyticsCell {
  const parts = [day.late, day.missed, day.failed];
  if (parts.some((part) => part.suppressed)) return { value: null, suppressed: true };
  if (parts.every((part) => part.value === null)) return { value: null, suppressed: false };
  return { value: parts.reduce((sum, part) => sum + (part.value ?? 0), 0), suppressed: false };
}

export function DeliveryHealthSection({ filters }: { filters: AnalyticsFilters }) {
  const report = useDeliveryHealthReport(filters);
  return (
    <ReportSection
      title="Delivery health"
      description="Per day: notes due, sent on time (less than 60 seconds after they were due), late, missed or failed; how late the sent notes were; and Slack's refusals. Not filtered by family."
      csvUrl={analyticsCsvUrl('delivery-health', filters)}
      csvName="delivery health"
      query={report}
    >
      {(data) => (
        <>
          <BarChart
            title="Notes late, missed or failed per day"
            bars={data.days.map((day) => ({ label: formatDay(day.day), ...notOnTime(day) }))}
            format={(value) => formatValue(value, 'count')}
            suppressedLabel={`<${data.minGroup}`}
          />
          <ScrollTable label="Delivery health per day" minWidth={960}>
            <Table striped data-testid="delivery-health-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Day</Table.Th>
                  {COLUMNS.map((column) => (
                    <Table.Th key={column.key} ta="right">
                      {column.label}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.days.map((day) => (
                  <Table.Tr key={day.day} data-day={day.day}>
                    <Table.Th scope="row" fw="normal" style={{ whiteSpace: 'nowrap' }}>
                      {formatDay(day.day)}
                    </Table.Th>
                    {COLUMNS.map((column) => (
                      <CellTd
                        key={column.key}
                        cell={day[column.key]}
                        measure={column.measure}
                        minGroup={data.minGroup}
                      />
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
    </ReportSection>
  );
}
