/** Managers of a workspace as admins see them, and pausing or unsubscribing on request. */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { paths } from './schema.ts';

type PeoplePath = paths['/api/v1/admin/workspaces/{teamId}/people'];
type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
export type Person = Json<PeoplePath['get']['responses']['200']>['people'][number];
export type PeopleStatus = NonNullable<
  NonNullable<PeoplePath['get']['parameters']['query']>['status']
>;

export function usePeople(teamId: string, status: PeopleStatus | undefined) {
  return useInfiniteQuery({
    queryKey: ['people', teamId, status ?? 'all'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/people', {
          params: { path: { teamId }, query: { status, after: pageParam, limit: 100 } },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useChangePerson(teamId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({
      slackUserId,
      change,
    }: {
      slackUserId: string;
      change: 'pause' | 'unsubscribe';
    }) => {
      const params = { params: { path: { teamId, slackUserId } } };
      return unwrap(
        change === 'pause'
          ? await api.POST('/api/v1/admin/workspaces/{teamId}/people/{slackUserId}/pause', params)
          : await api.POST(
              '/api/v1/admin/workspaces/{teamId}/people/{slackUserId}/unsubscribe',
              params,
            ),
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['people', teamId] }),
  });
}
