/**
 * Analytics teams: the Slack user groups an admin chose to filter the analytics by (settings
 * page, admin and up), and the list a viewer filters by (analytics page).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { components } from './schema.ts';

export type AnalyticsTeamChoices = components['schemas']['AnalyticsTeamChoices'];

/** The chosen teams of every workspace; empty when none is configured. */
export function useAnalyticsTeams() {
  return useQuery({
    queryKey: ['analytics-teams'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/analytics/teams')).teams,
  });
}

/**
 * The workspace's user groups and which are teams. While a sync is asked for, it asks again
 * every few seconds, so the members the bot reads appear without a reload.
 */
export function useAnalyticsTeamChoices(teamId: string) {
  return useQuery({
    queryKey: ['analytics-team-choices', teamId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/analytics-teams', {
          params: { path: { teamId } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.sync.requested ? 3_000 : false),
  });
}

export function useChooseAnalyticsTeams(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (groupIds: string[]) =>
      unwrap(
        await api.PUT('/api/v1/admin/workspaces/{teamId}/analytics-teams', {
          params: { path: { teamId } },
          body: { groupIds },
        }),
      ),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['analytics-team-choices', teamId], saved);
      await queryClient.invalidateQueries({ queryKey: ['analytics-teams'] });
    },
  });
}
