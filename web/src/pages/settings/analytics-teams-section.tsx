/**
 * Which Slack user groups are analytics teams (issue 15, item 3): the analytics can then be
 * filtered by each. The bot reads the groups from Slack; saving a choice asks it to read the
 * chosen groups' members, which shows here within about a minute.
 */
import { Badge, Button, Checkbox, Fieldset, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  type AnalyticsTeamChoices,
  useAnalyticsTeamChoices,
  useChooseAnalyticsTeams,
} from '../../api/analytics-teams.ts';
import { describeError } from '../../api/client.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';

/** What Slack's error codes mean for an admin. */
const SYNC_ERRORS: Record<string, string> = {
  missing_scope:
    'Slack did not let Blindspot read user groups: reinstall the app so it gets the ' +
    'usergroups:read permission.',
  paid_teams_only: 'User groups exist only on paid Slack plans.',
  not_installed: 'Blindspot has no token for this workspace.',
};

export function AnalyticsTeamsSection({ teamId }: { teamId: string }) {
  const choices = useAnalyticsTeamChoices(teamId);
  return (
    <Fieldset legend="Analytics teams" maw={640}>
      <QueryState query={choices}>
        {(current) => <TeamsForm teamId={teamId} choices={current} />}
      </QueryState>
    </Fieldset>
  );
}

function syncText(sync: AnalyticsTeamChoices['sync']): string {
  if (sync.error) return SYNC_ERRORS[sync.error] ?? `Slack refused the last sync (${sync.error}).`;
  if (sync.requested) return 'Reading the user groups from Slack…';
  if (!sync.syncedAt) return 'The user groups have not been read from Slack yet.';
  return `Read from Slack at ${new Date(sync.syncedAt).toLocaleString()}.`;
}

function TeamsForm({ teamId, choices }: { teamId: string; choices: AnalyticsTeamChoices }) {
  const save = useChooseAnalyticsTeams(teamId);
  const chosen = choices.groups.filter((g) => g.isTeam).map((g) => g.slackGroupId);
  const [selected, setSelected] = useState<string[]>(chosen);
  const [saved, setSaved] = useState(false);
  const key = chosen.join(',');
  // A sync or another admin changed the choice: show what the API holds.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the choice changes
  useEffect(() => setSelected(chosen), [key]);
  return (
    <form
      aria-label="Analytics teams"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        save.mutate(selected, { onSuccess: () => setSaved(true) });
      }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The analytics can be filtered by the Slack user groups ticked here. A team's number is
          shown only when it cannot single out fewer managers than the privacy limit, alone or
          beside another team: small teams, or teams that differ by a person or two, read “fewer
          than k”. A team with fewer managers signed up than that limit is not offered as a filter
          at all.
        </Text>
        <Text size="sm">{syncText(choices.sync)}</Text>
        {choices.groups.length === 0 ? (
          <Text size="sm">No user groups yet.</Text>
        ) : (
          <Checkbox.Group value={selected} onChange={setSelected} label="User groups">
            <Stack gap={6} mt="xs">
              {choices.groups.map((group) => (
                <Group key={group.slackGroupId} gap="xs">
                  <Checkbox
                    value={group.slackGroupId}
                    disabled={group.removed}
                    label={`${group.name} (@${group.handle})`}
                  />
                  {group.removed && <Badge color="gray">gone from Slack</Badge>}
                  {group.isTeam && group.membersSyncedAt && (
                    <Text size="xs" c="dimmed">
                      {group.members} members, {group.managers} signed up
                    </Text>
                  )}
                </Group>
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <FormAlert message={save.error ? describeError(save.error) : null} />
        {saved && !save.isPending && (
          <Text role="status" fw={500}>
            Teams saved.
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={choices.groups.length === 0}>
            Save teams
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
