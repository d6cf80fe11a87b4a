import { Button, Group, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { type AnalyticsFilters, useTopicReport } from '../../api/analytics.ts';
import { useAnalyticsTeams } from '../../api/analytics-teams.ts';
import { PageTitle } from '../../components/page-title.tsx';
import { familyName, familyOptions } from '../../families.ts';
import { navigate, useLocation } from '../../router.tsx';
import { ActivitySection } from './activity-section.tsx';
import { suppressedText } from './cells.ts';
import { DeliveryHealthSection } from './delivery-health-section.tsx';
import { EngagementSection } from './engagement-section.tsx';
import { filtersFromSearch, searchFromFilters, validateFilters } from './filters.ts';
import { TopicsSection } from './topics-section.tsx';

/**
 * The analytics dashboards (viewer and up): engagement per week, topics, delivery health per
 * day and activity by weekday and hour, under one set of filters kept in the URL. What is
 * shown is what the API serves: numbers behind fewer than k managers arrive hidden and read
 * "fewer than k"; this page works nothing out on its own that the API would not show.
 */
export function AnalyticsPage() {
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  // The families to filter by: those the unfiltered topic report lists for the same dates.
  const families = useTopicReport({ ...filters, family: '', team: '' });
  const teams = useAnalyticsTeams();
  const minGroup = families.data?.minGroup;
  return (
    <Stack>
      <PageTitle>Analytics</PageTitle>
      <FilterForm
        filters={filters}
        families={families.data?.families.map((family) => family.family) ?? []}
        teams={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
        served={families.data ? { from: families.data.from, to: families.data.to } : undefined}
      />
      <Paper withBorder p="sm">
        <Text size="sm">
          <strong>Privacy.</strong> Numbers behind fewer than {minGroup ?? 5} managers read “
          {suppressedText(minGroup)}”, and so may others that would let them be worked out. Nothing
          a manager wrote is shown here.
        </Text>
      </Paper>
      <EngagementSection filters={filters} />
      <TopicsSection filters={filters} />
      <DeliveryHealthSection filters={filters} />
      <ActivitySection filters={filters} />
    </Stack>
  );
}

function FilterForm({
  filters,
  families,
  teams,
  served,
}: {
  filters: AnalyticsFilters;
  families: string[];
  /** The configured teams; without any, there is no team filter to show. */
  teams: { value: string; label: string }[];
  served: { from: string; to: string } | undefined;
}) {
  const form = useForm<AnalyticsFilters>({
    initialValues: filters,
    validate: (values) => validateFilters(values),
  });
  // Back and forward change the URL: show the filters it holds.
  const key = searchFromFilters(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the URL changes
  useEffect(() => {
    form.setValues(filters);
    form.resetDirty(filters);
  }, [key]);
  const options = [{ value: '', label: 'All families' }, ...familyOptions(families)];
  // A family named in the URL stays selectable before the list has loaded.
  if (filters.family && !families.includes(filters.family)) {
    options.push({ value: filters.family, label: familyName(filters.family) });
  }
  const teamOptions = [{ value: '', label: 'Everyone' }, ...teams];
  // A team named in the URL stays selectable before the list has loaded.
  if (filters.team && !teams.some((team) => team.value === filters.team)) {
    teamOptions.push({ value: filters.team, label: `Team ${filters.team}` });
  }
  return (
    <Paper withBorder p="md">
      <form
        aria-label="Filter the analytics"
        noValidate
        onSubmit={form.onSubmit((values) => navigate(`/analytics${searchFromFilters(values)}`))}
      >
        <Stack gap="xs">
          <Group align="flex-start" wrap="wrap">
            <TextInput label="From" type="date" {...form.getInputProps('from')} />
            <TextInput label="To" type="date" {...form.getInputProps('to')} />
            <NativeSelect label="Family" data={options} {...form.getInputProps('family')} />
            {teamOptions.length > 1 && (
              <NativeSelect label="Team" data={teamOptions} {...form.getInputProps('team')} />
            )}
            <Button type="submit" mt={25}>
              Show
            </Button>
          </Group>
          <Text size="sm" c="dimmed">
            {served ? `Showing ${served.from} to ${served.to}. ` : ''}
            {filters.from || filters.to ? '' : 'Without dates: the last twelve weeks. '}
            At most two years. Weekly reports cover whole weeks, Monday to Sunday.
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
