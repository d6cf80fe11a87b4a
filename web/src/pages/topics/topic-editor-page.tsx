/**
 * /admin/topics/new and /admin/topics/:id: one topic's form and preview, retire or restore,
 * its German and French translations, and its revision history. Viewers see the same page
 * read-only.
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { describeError } from '../../api/client.ts';
import {
  type Topic,
  type TopicContent,
  useCreateTopic,
  useSetRetired,
  useTopic,
  useUpdateTopic,
} from '../../api/topics.ts';
import { hasRole, type SessionInfo } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { Link, navigate } from '../../router.tsx';
import { RevisionHistory } from './revision-history.tsx';
import { TopicForm, type TopicFormValues } from './topic-form.tsx';
import { TopicLanguageTabs } from './topic-translations.tsx';
import { inWorkspace, WithWorkspace } from './workspace.tsx';

const CONTENT_FIELDS = [
  'category',
  'title',
  'summary',
  'whyItMatters',
  'example',
  'reflectionQuestion',
  'actions',
  'reference',
] as const satisfies readonly (keyof TopicContent)[];

const EMPTY: TopicFormValues = {
  slug: '',
  category: '',
  title: '',
  summary: '',
  whyItMatters: '',
  example: '',
  reflectionQuestion: '',
  actions: ['', '', ''],
  reference: '',
};

function contentOf(values: TopicFormValues): TopicContent {
  return Object.fromEntries(CONTENT_FIELDS.map((field) => [field, values[field]])) as TopicContent;
}

/** Only what changed: an unchanged field sent again would still be a new revision's business. */
function changesFrom(topic: Topic, values: TopicFormValues): Partial<TopicContent> {
  const changes: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    if (JSON.stringify(topic[field]) !== JSON.stringify(values[field]))
      changes[field] = values[field];
  }
  return changes as Partial<TopicContent>;
}

function BackLink({ teamId }: { teamId: string }) {
  return <Link to={inWorkspace('/topics', teamId)}>← All topics</Link>;
}

function NewTopic({ teamId }: { teamId: string }) {
  const create = useCreateTopic(teamId);
  return (
    <Stack>
      <BackLink teamId={teamId} />
      <TopicForm
        initial={EMPTY}
        isNew
        readOnly={false}
        saving={create.isPending}
        onSave={async (values) => {
          const slug = values.slug.trim();
          const topic = await create.mutateAsync({
            ...contentOf(values),
            ...(slug ? { slug } : {}),
          });
          notifications.show({ message: `"${topic.title}" created: it is sent from now on.` });
          navigate(inWorkspace(`/topics/${topic.id}`, teamId), { replace: true });
        }}
      />
    </Stack>
  );
}

function ExistingTopic({
  teamId,
  topic,
  canEdit,
}: {
  teamId: string;
  topic: Topic;
  canEdit: boolean;
}) {
  const update = useUpdateTopic(teamId, topic.id);
  const setRetired = useSetRetired(teamId, topic.id);
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <BackLink teamId={teamId} />
        <Text size="sm" c="dimmed">
          Slug {topic.slug} · revision {topic.revision}
        </Text>
      </Group>
      {topic.retiredAt && (
        <Alert color="yellow" title="Retired">
          This topic is not sent. {canEdit ? 'Restore it to send it again.' : ''}
        </Alert>
      )}
      <TopicLanguageTabs
        teamId={teamId}
        topic={topic}
        canEdit={canEdit}
        english={
          <TopicForm
            // A new revision (a save or a restore) starts the form again from what is current.
            key={topic.revision}
            initial={{ slug: topic.slug, ...contentOf({ ...EMPTY, ...topic }) }}
            isNew={false}
            readOnly={!canEdit}
            saving={update.isPending}
            onSave={async (values) => {
              const changes = changesFrom(topic, values);
              if (Object.keys(changes).length === 0) {
                notifications.show({ message: 'Nothing has changed.' });
                return;
              }
              const saved = await update.mutateAsync(changes);
              notifications.show({ message: `Saved as revision ${saved.revision}.` });
            }}
          />
        }
      />
      {canEdit && (
        <Group>
          {topic.retiredAt ? (
            <Button
              variant="light"
              loading={setRetired.isPending}
              onClick={() => setRetired.mutate(false)}
            >
              Restore topic
            </Button>
          ) : (
            <ConfirmButton
              label="Retire topic"
              question="Stop sending this topic?"
              loading={setRetired.isPending}
              onConfirm={() => setRetired.mutate(true)}
            />
          )}
        </Group>
      )}
      <FormAlert message={setRetired.error ? describeError(setRetired.error) : null} />
      <RevisionHistory teamId={teamId} topic={topic} canEdit={canEdit} />
    </Stack>
  );
}

function TopicLoader({
  teamId,
  topicId,
  canEdit,
}: {
  teamId: string;
  topicId: string;
  canEdit: boolean;
}) {
  const topic = useTopic(teamId, topicId);
  return (
    <QueryState query={topic}>
      {(loaded) => <ExistingTopic teamId={teamId} topic={loaded} canEdit={canEdit} />}
    </QueryState>
  );
}

export function TopicEditorPage({ session, topicId }: { session: SessionInfo; topicId?: string }) {
  const canEdit = hasRole(session.account.role, 'editor');
  return (
    <>
      <PageTitle>{topicId ? (canEdit ? 'Edit topic' : 'Topic') : 'New topic'}</PageTitle>
      <WithWorkspace>
        {(teamId) =>
          topicId ? (
            <TopicLoader teamId={teamId} topicId={topicId} canEdit={canEdit} />
          ) : canEdit ? (
            <NewTopic teamId={teamId} />
          ) : (
            <FormAlert message="Only editors can create topics." />
          )
        }
      </WithWorkspace>
    </>
  );
}
