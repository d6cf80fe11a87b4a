/**
 * A topic's revisions, newest first: what each changed compared with the current text (a word
 * diff per field), and, for editors, "Restore this revision", which the API saves as a new
 * revision, so the history is never rewritten.
 */
import { Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { describeError } from '../../api/client.ts';
import {
  type Topic,
  type TopicContent,
  type TopicRevision,
  useRestoreRevision,
  useTopicRevisions,
} from '../../api/topics.ts';
import { formatDateTime } from '../../components/dates.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { type DiffPart, diffWords } from './text-diff.ts';

const FIELDS: [keyof TopicContent, string][] = [
  ['category', 'Family'],
  ['title', 'Title'],
  ['summary', 'Summary'],
  ['whyItMatters', 'Why it matters'],
  ['example', 'Example'],
  ['reflectionQuestion', 'Reflection question'],
  ['actions', 'Actions'],
  ['reference', 'Reference'],
];

function fieldText(content: TopicContent, field: keyof TopicContent): string {
  const value = content[field];
  return Array.isArray(value) ? value.map((action) => `• ${action}`).join('\n') : value;
}

function Parts({ parts }: { parts: DiffPart[] }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
      {parts.map((part, index) => {
        const key = `${index}-${part.kind}`;
        if (part.kind === 'removed') {
          return (
            <del key={key} style={{ background: 'var(--mantine-color-red-light)' }}>
              {part.text}
            </del>
          );
        }
        if (part.kind === 'added') {
          return (
            <ins key={key} style={{ background: 'var(--mantine-color-green-light)' }}>
              {part.text}
            </ins>
          );
        }
        return <span key={key}>{part.text}</span>;
      })}
    </Text>
  );
}

/** Per changed field: how the revision's text would become the current one. */
function RevisionDiff({ revision, current }: { revision: TopicRevision; current: Topic }) {
  const changed = FIELDS.filter(
    ([field]) => fieldText(revision.content, field) !== fieldText(current, field),
  );
  if (changed.length === 0) {
    return <Text size="sm">Same text as the current revision.</Text>;
  }
  return (
    <Stack gap="xs" data-testid="revision-diff">
      <Text size="xs" c="dimmed">
        From this revision (struck through) to the current text (underlined):
      </Text>
      {changed.map(([field, label]) => (
        <Box key={field}>
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <Parts parts={diffWords(fieldText(revision.content, field), fieldText(current, field))} />
        </Box>
      ))}
    </Stack>
  );
}

export function RevisionHistory({
  teamId,
  topic,
  canEdit,
}: {
  teamId: string;
  topic: Topic;
  canEdit: boolean;
}) {
  const revisions = useTopicRevisions(teamId, topic.id);
  const restore = useRestoreRevision(teamId, topic.id);
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Stack component="section" aria-labelledby="revisions-heading">
      <Title order={2} size="h4" id="revisions-heading">
        Revision history
      </Title>
      <FormAlert message={restore.error ? describeError(restore.error) : null} />
      <QueryState query={revisions}>
        {(list) => (
          <Stack gap="xs" data-testid="revisions">
            {[...list].reverse().map((revision) => {
              const isCurrent = revision.revision === topic.revision;
              const comparing = open === revision.revision;
              return (
                <Paper key={revision.revision} withBorder p="sm">
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Text size="sm">
                      <strong>Revision {revision.revision}</strong>
                      {isCurrent ? ' (current)' : ''} · {formatDateTime(revision.createdAt)} ·{' '}
                      {revision.source === 'seed' ? 'from the shipped catalogue' : 'by an admin'} ·{' '}
                      {revision.content.title}
                    </Text>
                    {!isCurrent && (
                      <Group gap="xs">
                        <Button
                          size="compact-sm"
                          variant="default"
                          aria-expanded={comparing}
                          onClick={() => setOpen(comparing ? null : revision.revision)}
                        >
                          {comparing ? 'Hide changes' : 'Compare with current'}
                        </Button>
                        {canEdit && (
                          <Button
                            size="compact-sm"
                            variant="light"
                            loading={restore.isPending && restore.variables === revision.revision}
                            aria-label={`Restore this revision (${revision.revision})`}
                            onClick={() =>
                              restore.mutate(revision.revision, {
                                onSuccess: (restored) =>
                                  notifications.show({
                                    message: `Revision ${revision.revision} restored as revision ${restored.revision}.`,
                                  }),
                              })
                            }
                          >
                            Restore this revision
                          </Button>
                        )}
                      </Group>
                    )}
                  </Group>
                  {comparing && (
                    <Box mt="sm">
                      <RevisionDiff revision={revision} current={topic} />
                    </Box>
                  )}
                </Paper>
              );
            })}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
