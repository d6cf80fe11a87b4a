/**
 * A topic's German and French text on its page (issue 18, item 2), in tabs beside the English:
 * per language, whether it is there or missing (managers reading it then get the English), and
 * a form with the same counters and guard rails as the English one and the same Slack preview.
 * Editors write and delete; viewers read. The family and the reference stay the English topic's.
 */
import { Badge, Button, Grid, Group, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { ACTIONS_PER_TOPIC, TOPIC_LIMITS } from '../../api/limits.ts';
import {
  type TopicTranslation,
  TRANSLATION_LANGUAGES,
  type TranslationContent,
  type TranslationLanguage,
  useDeleteTranslation,
  useSaveTranslation,
  useTopicTranslations,
} from '../../api/topic-translations.ts';
import type { Topic } from '../../api/topics.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { TopicPreview } from './topic-preview.tsx';

const TEXT_FIELDS = [
  ['title', 'Title'],
  ['summary', 'Summary'],
  ['whyItMatters', 'Why it matters'],
  ['example', 'Example'],
  ['reflectionQuestion', 'Reflection question'],
] as const;
type TextField = (typeof TEXT_FIELDS)[number][0];

const ACTION_SLOTS = Array.from({ length: ACTIONS_PER_TOPIC }, (_, index) => index);
/** Characters as the API counts them: code points, so an emoji is one. */
const characters = (text: string) => [...text].length;

const EMPTY: TranslationContent = {
  title: '',
  summary: '',
  whyItMatters: '',
  example: '',
  reflectionQuestion: '',
  actions: ['', '', ''],
};

function contentOf(source: TranslationContent): TranslationContent {
  return {
    title: source.title,
    summary: source.summary,
    whyItMatters: source.whyItMatters,
    example: source.example,
    reflectionQuestion: source.reflectionQuestion,
    actions: [...source.actions],
  };
}

function validate(values: TranslationContent): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field] of TEXT_FIELDS) {
    if (values[field].trim() === '') errors[field] = 'Required.';
    else if (characters(values[field]) > TOPIC_LIMITS[field]) {
      errors[field] = `At most ${TOPIC_LIMITS[field]} characters.`;
    }
  }
  values.actions.forEach((action, index) => {
    if (action.trim() === '') errors[`actions.${index}`] = 'Required.';
    else if (characters(action) > TOPIC_LIMITS.action) {
      errors[`actions.${index}`] = `At most ${TOPIC_LIMITS.action} characters.`;
    }
  });
  return errors;
}

function noteLength(values: TranslationContent): number {
  return (
    TEXT_FIELDS.reduce((total, [field]) => total + characters(values[field]), 0) +
    values.actions.reduce((total, action) => total + characters(action), 0)
  );
}

/**
 * The topic's text per language, one tab each: English (the topic itself, `english`), then
 * German and French with whether each is there. One form is mounted at a time, so each
 * field's label names one field on the page.
 */
export function TopicLanguageTabs({
  teamId,
  topic,
  canEdit,
  english,
}: {
  teamId: string;
  topic: Topic;
  canEdit: boolean;
  english: ReactNode;
}) {
  const translations = useTopicTranslations(teamId, topic.id);
  const missing = translations.data?.missing;
  return (
    <Tabs defaultValue="en" keepMounted={false}>
      <Tabs.List aria-label="Language of the topic's text">
        <Tabs.Tab value="en">English</Tabs.Tab>
        {TRANSLATION_LANGUAGES.map(({ code, name }) => (
          <Tabs.Tab key={code} value={code}>
            <Group gap={6} wrap="nowrap">
              {name}
              {missing &&
                (missing.includes(code) ? (
                  <Badge color="yellow" variant="light" size="sm">
                    Missing
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light" size="sm">
                    Translated
                  </Badge>
                ))}
            </Group>
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="en" pt="md">
        {english}
      </Tabs.Panel>
      {TRANSLATION_LANGUAGES.map(({ code, name }) => (
        <Tabs.Panel key={code} value={code} pt="md">
          <QueryState query={translations}>
            {(loaded) => (
              <TranslationEditor
                teamId={teamId}
                topic={topic}
                language={code}
                languageName={name}
                current={loaded.translations.find((t) => t.language === code)}
                canEdit={canEdit}
              />
            )}
          </QueryState>
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

function TranslationEditor({
  teamId,
  topic,
  language,
  languageName,
  current,
  canEdit,
}: {
  teamId: string;
  topic: Topic;
  language: TranslationLanguage;
  languageName: string;
  current: TopicTranslation | undefined;
  canEdit: boolean;
}) {
  const save = useSaveTranslation(teamId, topic.id, language);
  const remove = useDeleteTranslation(teamId, topic.id, language);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<TranslationContent>({
    initialValues: current ? contentOf(current) : EMPTY,
    validate,
  });
  const values = form.values;
  const readOnly = !canEdit;
  const total = noteLength(values);

  const submit = form.onSubmit(async (submitted) => {
    setProblem(null);
    try {
      const saved = await save.mutateAsync(contentOf(submitted));
      form.resetDirty(contentOf(saved));
      notifications.show({ message: `${languageName} translation saved.` });
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : {};
      const placed = Object.entries(fields)
        .map(([field, message]) => [field.replace(/\[(\d+)\]/g, '.$1'), message] as const)
        .filter(([field]) => field in values || /^actions\.\d+$/.test(field));
      form.setErrors(Object.fromEntries(placed));
      const rest = Object.entries(fields)
        .filter(([field]) => !placed.some(([p]) => p === field.replace(/\[(\d+)\]/g, '.$1')))
        .map(([, message]) => message);
      setProblem([describeError(error), ...rest].join(' '));
    }
  });

  if (!current && readOnly) {
    return (
      <Text>
        No {languageName} translation yet: managers reading {languageName} get it in English.
      </Text>
    );
  }

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <form aria-label={`${languageName} translation`} onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              The family and the reference are the English topic&apos;s.{' '}
              {current
                ? `Written by ${current.source === 'admin' ? 'an editor' : 'the shipped catalogue'}; last changed ${new Date(current.updatedAt).toLocaleString()}.`
                : `Missing: managers reading ${languageName} get this topic in English until it is saved.`}
            </Text>
            {!current && canEdit && (
              <Group>
                <Button
                  variant="default"
                  size="xs"
                  onClick={() => form.setValues(contentOf(topic))}
                >
                  Start from the English text
                </Button>
              </Group>
            )}
            {TEXT_FIELDS.map(([field, label]) => (
              <Textarea
                key={field}
                label={`${label} (${languageName})`}
                description={counter(values, field)}
                autosize
                minRows={1}
                readOnly={readOnly}
                withAsterisk={!readOnly}
                {...form.getInputProps(field)}
              />
            ))}
            {ACTION_SLOTS.map((index) => (
              <Textarea
                key={`action-${index + 1}`}
                label={`Action ${index + 1} (${languageName})`}
                description={`${characters(values.actions[index] ?? '')} / ${TOPIC_LIMITS.action} characters`}
                autosize
                minRows={1}
                readOnly={readOnly}
                withAsterisk={!readOnly}
                {...form.getInputProps(`actions.${index}`)}
              />
            ))}
            <Text
              size="sm"
              c={total > TOPIC_LIMITS.note ? 'var(--mantine-color-error)' : 'dimmed'}
              data-testid={`note-length-${language}`}
            >
              The whole note: {total} / {TOPIC_LIMITS.note} characters (about a minute&apos;s
              reading).
            </Text>
            <FormAlert message={problem ?? (remove.error ? describeError(remove.error) : null)} />
            {canEdit && (
              <Group>
                <Button type="submit" loading={save.isPending}>
                  Save {languageName}
                </Button>
                {current && (
                  <ConfirmButton
                    label={`Delete ${languageName}`}
                    question={`Delete the ${languageName} text? Its readers get the English.`}
                    loading={remove.isPending}
                    onConfirm={() =>
                      remove.mutate(undefined, {
                        onSuccess: () => {
                          form.setValues(EMPTY);
                          form.resetDirty(EMPTY);
                          notifications.show({ message: `${languageName} translation deleted.` });
                        },
                      })
                    }
                  />
                )}
              </Group>
            )}
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <TopicPreview
          content={{ ...topic, ...values }}
          slug={topic.slug}
          language={language}
          label={`Slack preview (${languageName})`}
          testId={`preview-${language}`}
        />
      </Grid.Col>
    </Grid>
  );
}

function counter(values: TranslationContent, field: TextField): string {
  const limit = TOPIC_LIMITS[field];
  const count = characters(values[field]);
  return `${count} / ${limit} characters${count > limit ? ': too long' : ''}`;
}
