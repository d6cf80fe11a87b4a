/**
 * The topic catalogue of one workspace: list, edit, retire, revisions, weekday themes, import
 * and export. Every key starts with ['topics', teamId], so a change refreshes what it touched.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { paths } from './schema.ts';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type TopicsPath = paths['/api/v1/admin/workspaces/{teamId}/topics'];

export type Workspace = Json<
  paths['/api/v1/admin/workspaces']['get']['responses']['200']
>['workspaces'][number];
export type ListedTopic = Json<TopicsPath['get']['responses']['200']>['topics'][number];
export type Topic = Json<TopicsPath['post']['responses']['201']>;
export type TopicQuery = NonNullable<TopicsPath['get']['parameters']['query']>;
export type NewTopic = NonNullable<
  TopicsPath['post']['requestBody']
>['content']['application/json'];
export type TopicContent = Omit<NewTopic, 'slug'>;
export type TopicRevision = Json<
  paths['/api/v1/admin/workspaces/{teamId}/topics/{topicId}/revisions']['get']['responses']['200']
>['revisions'][number];
export type WeekdayTheme = Json<
  paths['/api/v1/admin/workspaces/{teamId}/weekday-themes']['get']['responses']['200']
>['weekdayThemes'][number];
export type ImportCounts = Json<
  paths['/api/v1/admin/workspaces/{teamId}/topics/import']['post']['responses']['200']
>;

export function useWorkspaces() {
  return useQuery({
    queryKey: ['workspaces'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/workspaces')).workspaces,
  });
}

export function useTopics(teamId: string, query: TopicQuery) {
  return useQuery({
    queryKey: ['topics', teamId, 'list', query],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/topics', {
          params: { path: { teamId }, query },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useTopic(teamId: string, topicId: string) {
  return useQuery({
    queryKey: ['topics', teamId, 'one', topicId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/topics/{topicId}', {
          params: { path: { teamId, topicId } },
        }),
      ),
  });
}

export function useTopicRevisions(teamId: string, topicId: string) {
  return useQuery({
    queryKey: ['topics', teamId, 'revisions', topicId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/topics/{topicId}/revisions', {
          params: { path: { teamId, topicId } },
        }),
      ).revisions,
  });
}

/** Any change to a topic may change the list, the topic, its revisions and the themes' choices. */
function useTopicMutation<Input, Output>(teamId: string, call: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['topics', teamId] }),
  });
}

export function useCreateTopic(teamId: string) {
  return useTopicMutation(teamId, async (body: NewTopic) =>
    unwrap(
      await api.POST('/api/v1/admin/workspaces/{teamId}/topics', {
        params: { path: { teamId } },
        body,
      }),
    ),
  );
}

export function useUpdateTopic(teamId: string, topicId: string) {
  return useTopicMutation(teamId, async (body: Partial<TopicContent>) =>
    unwrap(
      await api.PATCH('/api/v1/admin/workspaces/{teamId}/topics/{topicId}', {
        params: { path: { teamId, topicId } },
        body,
      }),
    ),
  );
}

/** Retire (stop sending) or un-retire a topic. */
export function useSetRetired(teamId: string, topicId: string) {
  return useTopicMutation(teamId, async (retired: boolean) => {
    const params = { params: { path: { teamId, topicId } } };
    return retired
      ? unwrap(await api.POST('/api/v1/admin/workspaces/{teamId}/topics/{topicId}/retire', params))
      : unwrap(
          await api.POST('/api/v1/admin/workspaces/{teamId}/topics/{topicId}/restore', params),
        );
  });
}

export function useRestoreRevision(teamId: string, topicId: string) {
  return useTopicMutation(teamId, async (revision: number) =>
    unwrap(
      await api.POST(
        '/api/v1/admin/workspaces/{teamId}/topics/{topicId}/revisions/{revision}/restore',
        { params: { path: { teamId, topicId, revision } } },
      ),
    ),
  );
}

export function useWeekdayThemes(teamId: string) {
  return useQuery({
    queryKey: ['topics', teamId, 'weekday-themes'],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/weekday-themes', {
          params: { path: { teamId } },
        }),
      ).weekdayThemes,
  });
}

export function useSetWeekdayTheme(teamId: string) {
  return useTopicMutation(teamId, async (input: { isoWeekday: number; category: string }) =>
    unwrap(
      await api.PUT('/api/v1/admin/workspaces/{teamId}/weekday-themes/{isoWeekday}', {
        params: { path: { teamId, isoWeekday: input.isoWeekday } },
        body: { category: input.category },
      }),
    ),
  );
}

/** The export as a plain link, so the browser downloads it with the API's file name. */
export function topicsExportUrl(teamId: string, format: 'json' | 'csv'): string {
  return `/api/v1/admin/workspaces/${encodeURIComponent(teamId)}/topics/export?format=${format}`;
}

/** Sends a file's text as it is: CSV as text/csv (its line numbers stay the author's), or JSON. */
export function useImportTopics(teamId: string) {
  return useTopicMutation(teamId, async (file: { text: string; format: 'json' | 'csv' }) =>
    unwrap(
      await api.POST('/api/v1/admin/workspaces/{teamId}/topics/import', {
        params: { path: { teamId } },
        // The body is the file itself: no re-serialising, which would quote a CSV as a string.
        body: file.text as never,
        bodySerializer: (body: unknown) => body as string,
        headers: { 'content-type': file.format === 'csv' ? 'text/csv' : 'application/json' },
      }),
    ),
  );
}
