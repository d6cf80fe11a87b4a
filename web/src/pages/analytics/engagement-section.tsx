import { Table } from '@mantine/core';
import {
  type AnalyticsFilters,
  analyticsCsvUrl,
  type EngagementReport,
  useEngagementReport,
} from '../../api/analytics.ts';
import { BarChart } from '../../components/charts/bar-chart.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { formatDay, formatValue, type Measure } from './cells.ts';
import { CellTd, ReportSection } from './report-section.tsx';

type Week = EngagementReport['weeks'][number];

/** The table's columns, in the API's (and the CSV's) order. */
const COLUMNS: { key: Exclude<keyof Week, 'week'>; label: string; measure: Measure }[] = [
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
          <ScrollTable label="Engagement per week" minWidth={860}>
            <Table striped data-testid="engagement-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Week</Table.Th>
                  {COLUMNS.map((column) => (
                    <Table.Th key={column.key} ta="right">
                      {column.label}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.weeks.map((week) => (
                  <Table.Tr key={week.week} data-week={week.week}>
                    <Table.Th scope="row" fw="normal" style={{ whiteSpace: 'nowrap' }}>
                      {formatDay(week.week)}
                    </Table.Th>
                    {COLUMNS.map((column) => (
                      <CellTd
                        key={column.key}
                        cell={week[column.key]}
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
