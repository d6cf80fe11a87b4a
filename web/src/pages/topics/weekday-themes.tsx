/**
 * Which family of topics goes out on which weekday. Admins change it (the API's role for a
 * setting); others see it. A family needs an active topic, which the API checks and says.
 */
import { Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import { useSetWeekdayTheme, useTopics, useWeekdayThemes } from '../../api/topics.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { familyName, familyOptions } from '../../families.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function WeekdayThemes({ teamId, canEdit }: { teamId: string; canEdit: boolean }) {
  const themes = useWeekdayThemes(teamId);
  const active = useTopics(teamId, { status: 'active' });
  const setTheme = useSetWeekdayTheme(teamId);
  const [problem, setProblem] = useState<string | null>(null);
  const families = [...new Set((active.data?.topics ?? []).map((topic) => topic.category))].sort();
  return (
    <Stack>
      <Text size="sm">
        Each weekday's note comes from its family. {canEdit ? '' : 'Admins can change these.'}
      </Text>
      <FormAlert message={problem} />
      <QueryState query={themes}>
        {(list) => (
          <Table maw={560}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Weekday</Table.Th>
                <Table.Th>Family</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {WEEKDAYS.map((day, index) => {
                const isoWeekday = index + 1;
                const theme = list.find((row) => row.isoWeekday === isoWeekday);
                return (
                  <Table.Tr key={day}>
                    <Table.Td>{day}</Table.Td>
                    <Table.Td>
                      {canEdit ? (
                        <Select
                          aria-label={`Family for ${day}`}
                          allowDeselect={false}
                          data={familyOptions([...families, ...(theme ? [theme.category] : [])])}
                          value={theme?.category ?? null}
                          placeholder="Choose a family"
                          disabled={setTheme.isPending}
                          onChange={(category) => {
                            if (!category) return;
                            setProblem(null);
                            setTheme.mutate(
                              { isoWeekday, category },
                              {
                                onSuccess: () =>
                                  notifications.show({
                                    message: `${day}: ${familyName(category)}.`,
                                  }),
                                onError: (error) => setProblem(describeError(error)),
                              },
                            );
                          }}
                        />
                      ) : theme ? (
                        familyName(theme.category)
                      ) : (
                        'None'
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
}
