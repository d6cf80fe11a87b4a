/**
 * The topic form with the live Slack preview beside it. Each field counts its characters
 * against the API's limit (web/src/api/limits.ts), as does the whole note; the API's guard
 * rails (a 400 naming each field) are shown beside their fields too.
 */
import {
  Button,
  Grid,
  Group,
  Stack,
  Text,
  Textarea,
  type TextareaProps,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { ACTIONS_PER_TOPIC, TOPIC_LIMITS } from '../../api/limits.ts';
import type { TopicContent } from '../../api/topics.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { TopicPreview } from './topic-preview.tsx';

export interface TopicFormValues extends TopicContent {
  slug: string;
}

/** The form's three action fields, by a name that stays with each. */
const ACTION_SLOTS = Array.from({ length: ACTIONS_PER_TOPIC }, (_, index) => `action-${index + 1}`);

type TextField = Exclude<keyof TopicFormValues, 'actions'>;

/** Characters as the API counts them: code points, so an emoji is one. */
const characters = (text: string) => [...text].length;

const REQUIRED: TextField[] = [
  'category',
  'title',
  'summary',
  'whyItMatters',
  'example',
  'reflectionQuestion',
  'reference',
];

function noteLength(values: TopicContent): number {
  return (
    characters(values.title) +
    characters(values.summary) +
    characters(values.whyItMatters) +
    characters(values.example) +
    characters(values.reflectionQuestion) +
    values.actions.reduce((total, action) => total + characters(action), 0)
  );
}

function validate(values: TopicFormValues, isNew: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of REQUIRED) {
    if (values[field].trim() === '') errors[field] = 'Required.';
    else if (characters(values[field]) > TOPIC_LIMITS[field]) {
      errors[field] = `At most ${TOPIC_LIMITS[field]} characters.`;
    }
  }
  if (isNew && characters(values.slug) > TOPIC_LIMITS.slug) {
    errors.slug = `At most ${TOPIC_LIMITS.slug} characters.`;
  }
  values.actions.forEach((action, index) => {
    if (action.trim() === '') errors[`actions.${index}`] = 'Required.';
    else if (characters(action) > TOPIC_LIMITS.action) {
      errors[`actions.${index}`] = `At most ${TOPIC_LIMITS.action} characters.`;
    }
  });
  return errors;
}

/** The API names an action `actions[1]`; the form, `actions.1`. */
function formField(apiField: string): string {
  return apiField.replace(/\[(\d+)\]/g, '.$1');
}

export function TopicForm({
  initial,
  isNew,
  readOnly,
  saving,
  onSave,
}: {
  initial: TopicFormValues;
  isNew: boolean;
  readOnly: boolean;
  saving: boolean;
  /** Saves; a rejection with an ApiError puts its field problems on the form. */
  onSave: (values: TopicFormValues) => Promise<void>;
}) {
  const form = useForm<TopicFormValues>({
    initialValues: initial,
    validate: (values) => validate(values, isNew),
  });
  const [problem, setProblem] = useState<string | null>(null);
  const values = form.values;

  const submit = form.onSubmit(async (submitted) => {
    setProblem(null);
    try {
      await onSave(submitted);
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : {};
      const placed = Object.entries(fields)
        .map(([field, message]) => [formField(field), message] as const)
        .filter(([field]) => field in form.values || /^actions\.\d+$/.test(field));
      form.setErrors(Object.fromEntries(placed));
      // What no field shows (the whole note's length, say) goes above the buttons.
      const rest = Object.entries(fields)
        .filter(([field]) => !placed.some(([placedField]) => placedField === formField(field)))
        .map(([, message]) => message);
      setProblem(
        rest.length > 0 || placed.length === 0 ? [describeError(error), ...rest].join(' ') : null,
      );
    }
  });

  const counter = (field: TextField) => {
    const limit = TOPIC_LIMITS[field];
    const count = characters(values[field]);
    return `${count} / ${limit} characters${count > limit ? ': too long' : ''}`;
  };
  const text = (field: TextField, label: string, props: Partial<TextareaProps> = {}) => (
    <Textarea
      label={label}
      description={counter(field)}
      autosize
      minRows={1}
      readOnly={readOnly}
      withAsterisk={!readOnly}
      {...props}
      {...form.getInputProps(field)}
    />
  );
  const total = noteLength(values);

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <form aria-label="Topic" onSubmit={submit} noValidate>
          <Stack gap="sm">
            {isNew && (
              <TextInput
                label="Slug"
                description="Lower-case words joined by hyphens; made from the title when left empty."
                {...form.getInputProps('slug')}
              />
            )}
            <TextInput
              label="Family"
              description={`${counter('category')}. Lower-case words joined by hyphens, e.g. recognition-and-feedback.`}
              readOnly={readOnly}
              withAsterisk={!readOnly}
              {...form.getInputProps('category')}
            />
            {text('title', 'Title')}
            {text('summary', 'Summary')}
            {text('whyItMatters', 'Why it matters')}
            {text('example', 'Example')}
            {text('reflectionQuestion', 'Reflection question')}
            {ACTION_SLOTS.map((slot, index) => {
              const count = characters(values.actions[index] ?? '');
              return (
                <Textarea
                  key={slot}
                  label={`Action ${index + 1}`}
                  description={`${count} / ${TOPIC_LIMITS.action} characters`}
                  autosize
                  minRows={1}
                  readOnly={readOnly}
                  withAsterisk={!readOnly}
                  {...form.getInputProps(`actions.${index}`)}
                />
              );
            })}
            {text('reference', 'Reference')}
            <Text
              size="sm"
              c={total > TOPIC_LIMITS.note ? 'var(--mantine-color-error)' : 'dimmed'}
              data-testid="note-length"
            >
              The whole note: {total} / {TOPIC_LIMITS.note} characters (about a minute's reading).
            </Text>
            <FormAlert message={problem} />
            {!readOnly && (
              <Group>
                <Button type="submit" loading={saving}>
                  {isNew ? 'Create topic' : 'Save changes'}
                </Button>
              </Group>
            )}
          </Stack>
        </form>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <TopicPreview content={values} slug={values.slug} />
      </Grid.Col>
    </Grid>
  );
}
