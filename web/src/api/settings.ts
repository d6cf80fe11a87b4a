/** A workspace's defaults (the settings page): read and replace, admin and up. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { components } from './schema.ts';

export type WorkspaceSettings = components['schemas']['WorkspaceSettings'];

export function useWorkspaceSettings(teamId: string) {
  return useQuery({
    queryKey: ['settings', teamId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/settings', {
          params: { path: { teamId } },
        }),
      ),
  });
}

export function useSaveWorkspaceSettings(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: WorkspaceSettings) =>
      unwrap(
        await api.PUT('/api/v1/admin/workspaces/{teamId}/settings', {
          params: { path: { teamId } },
          body,
        }),
      ),
    onSuccess: (saved) => queryClient.setQueryData(['settings', teamId], saved),
  });
}
