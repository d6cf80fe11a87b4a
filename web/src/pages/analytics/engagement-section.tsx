import {
  type AnalyticsFilters,
  analyticsCsvUrl,
  type EngagementReport,
  useEngagementReport,
} from '../../api/analytics.ts';
import { BarChart } from '../../components/charts/bar-chart.tsx';
import { formatDay, formatValue } from './cells.ts';
import { type CellColumn, CellTable, ReportSection } from './report-section.tsx';

type Week = EngagementReport['weeks'][number];

/** The table's columns, in the API's (and the CSV's) order. */
const COLUMNS: CellColumn<Exclude<keyof Week, 'week'>>[] = [
  { key: 'managersSubscribed', label: 'Managers subscribed', measure: 'count' },
  { key: 'notesDelivered', label: 'Notes delivered', measure: 'count' },
  { key: 'actionShare', label: 'Led to an action', measure: 'rate' },
  { key: 'completionRate', label: 'Actions completed', measure: 'rate' },
  { key: 'reminderAnswerRate', label: 'Reminders answered', measure: 'rate' },
  { key: 'lapseRate', label: 'Actions lapsed', measure: 'rate' },
  { key: 'unsubscribes', label: 'Unsubscribes', measure: 'count' },
];

export function EngagementSection({ filters }: { filters: AnalyticsFilters }) {
  const report = useEngagementReport(filters);
  return (
    <ReportSection
      title="Engagement"
      description="Per week (the Monday it starts): who had a note due, what was delivered, and what managers did with it. Completion and lapse are of the action items written that week, as they stand now."
      csvUrl={analyticsCsvUrl('engagement', filters)}
      csvName="engagement"
      query={report}
    >
      {(data) => (
        <>
          <BarChart
            title="Notes delivered per week"
            bars={data.weeks.map((week) => ({
              label: formatDay(week.week),
              ...week.notesDelivered,
            }))}
            format={(value) => formatValue(value, 'count')}
            suppressedLabel={`<${data.minGroup}`}
          />
          <CellTable
            label="Engagement per week"
            minWidth={860}
            testId="engagement-table"
            rowHeading="Week"
            rowAttribute="week"
            columns={COLUMNS}
            rows={data.weeks}
            rowKey={(week) => week.week}
            rowLabel={(week) => formatDay(week.week)}
            cell={(week, key) => week[key]}
            minGroup={data.minGroup}
          />
        </>
      )}
    </ReportSection>
  );
}
