/**
 * A topic's translations (German, French): read, write and delete one language. Keys sit under
 * ['topics', teamId] with the rest of the catalogue, so a change refreshes the list's
 * "missing" column too.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { paths } from './schema.ts';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type TranslationsPath = paths['/api/v1/admin/workspaces/{teamId}/topics/{topicId}/translations'];
type OnePath = paths['/api/v1/admin/workspaces/{teamId}/topics/{topicId}/translations/{language}'];

export type TopicTranslation = Json<
  TranslationsPath['get']['responses']['200']
>['translations'][number];
export type TranslationLanguage = TopicTranslation['language'];
export type TranslationContent = NonNullable<
  OnePath['put']['requestBody']
>['content']['application/json'];

/** The languages topics are translated into, with their names as the admin reads them. */
export const TRANSLATION_LANGUAGES: readonly { code: TranslationLanguage; name: string }[] = [
  { code: 'de', name: 'German' },
  { code: 'fr', name: 'French' },
];

export function useTopicTranslations(teamId: string, topicId: string) {
  return useQuery({
    queryKey: ['topics', teamId, 'translations', topicId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/workspaces/{teamId}/topics/{topicId}/translations', {
          params: { path: { teamId, topicId } },
        }),
      ),
  });
}

function useTranslationMutation<Input, Output>(
  teamId: string,
  call: (input: Input) => Promise<Output>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['topics', teamId] }),
  });
}

export function useSaveTranslation(teamId: string, topicId: string, language: TranslationLanguage) {
  return useTranslationMutation(teamId, async (body: TranslationContent) =>
    unwrap(
      await api.PUT('/api/v1/admin/workspaces/{teamId}/topics/{topicId}/translations/{language}', {
        params: { path: { teamId, topicId, language } },
        body,
      }),
    ),
  );
}

export function useDeleteTranslation(
  teamId: string,
  topicId: string,
  language: TranslationLanguage,
) {
  return useTranslationMutation(teamId, async () =>
    unwrap(
      await api.DELETE(
        '/api/v1/admin/workspaces/{teamId}/topics/{topicId}/translations/{language}',
        { params: { path: { teamId, topicId, language } } },
      ),
    ),
  );
}
