/** Erasure by an admin: one manager on their request, or a whole workspace (owners only). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';

export function useErasePerson(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      slackUserId,
      confirmation,
    }: {
      slackUserId: string;
      confirmation: string;
    }) =>
      unwrap(
        await api.POST('/api/v1/admin/workspaces/{teamId}/people/{slackUserId}/erasure', {
          params: { path: { teamId, slackUserId } },
          body: { confirmation },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['people', teamId] }),
  });
}

export function useEraseWorkspace(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (confirmation: string) =>
      unwrap(
        await api.POST('/api/v1/admin/workspaces/{teamId}/erasure', {
          params: { path: { teamId } },
          body: { confirmation },
        }),
      ),
    // Every page that shows the workspace, or anything in it, is now out of date.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
