import {
  type AnalyticsCell,
  type AnalyticsFilters,
  analyticsCsvUrl,
  type DeliveryHealthReport,
  useDeliveryHealthReport,
} from '../../api/analytics.ts';
import { BarChart } from '../../components/charts/bar-chart.tsx';
import { formatDay, formatValue } from './cells.ts';
import { type CellColumn, CellTable, ReportSection } from './report-section.tsx';

type Day = DeliveryHealthReport['days'][number];

const COLUMNS: CellColumn<Exclude<keyof Day, 'day'>>[] = [
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
          <CellTable
            label="Delivery health per day"
            minWidth={960}
            testId="delivery-health-table"
            rowHeading="Day"
            rowAttribute="day"
            columns={COLUMNS}
            rows={data.days}
            rowKey={(day) => day.day}
            rowLabel={(day) => formatDay(day.day)}
            cell={(day, key) => day[key]}
            minGroup={data.minGroup}
          />
        </>
      )}
    </ReportSection>
  );
}
