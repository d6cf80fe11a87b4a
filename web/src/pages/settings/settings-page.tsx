/**
 * Workspace settings, for admins (issue 15, item 6): what the bot offers a new sign-up, when
 * reminders may go out and how many DMs a day, the check-back offered when planning an action,
 * whether new sign-ups get the weekly digest, and the language of managers whose Slack language
 * Blindspot does not speak. The API checks every value; its problems show beside their fields.
 */
import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  useSaveWorkspaceSettings,
  useWorkspaceSettings,
  type WorkspaceSettings,
} from '../../api/settings.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { WithWorkspace } from '../topics/workspace.tsx';
import { AnalyticsTeamsSection } from './analytics-teams-section.tsx';

/** The languages Blindspot speaks (src/core/languages/rules.ts LANGUAGES). */
const LANGUAGE_OPTIONS = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'German (Deutsch)' },
  { value: 'fr', label: 'French (Français)' },
];

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function SettingsPage() {
  return (
    <Stack>
      <PageTitle>Settings</PageTitle>
      <Text c="dimmed" maw={720}>
        Defaults for this workspace. A change applies from now on: managers who already chose their
        days, time or digest keep their own choice.
      </Text>
      <WithWorkspace>
        {(teamId) => (
          <Stack key={teamId}>
            <WorkspaceSettingsSection teamId={teamId} />
            <AnalyticsTeamsSection teamId={teamId} />
          </Stack>
        )}
      </WithWorkspace>
    </Stack>
  );
}

function WorkspaceSettingsSection({ teamId }: { teamId: string }) {
  const settings = useWorkspaceSettings(teamId);
  return (
    <QueryState query={settings}>
      {(current) => <SettingsForm teamId={teamId} settings={current} />}
    </QueryState>
  );
}

interface FormValues {
  defaultWeekdays: string[];
  defaultLocalTime: string;
  quietHours: { start: string; end: string };
  dailyDmCap: number | string;
  checkBackDays: number | string;
  weeklyDigest: boolean;
  defaultLanguage: string;
}

const toForm = (settings: WorkspaceSettings): FormValues => ({
  ...settings,
  defaultWeekdays: settings.defaultWeekdays.map(String),
});

// The API checks each value: an emptied number field goes as -1, which it refuses beside the field.
const toSettings = (values: FormValues): WorkspaceSettings => ({
  ...values,
  defaultWeekdays: values.defaultWeekdays.map(Number),
  dailyDmCap: values.dailyDmCap === '' ? -1 : Number(values.dailyDmCap),
  checkBackDays: values.checkBackDays === '' ? -1 : Number(values.checkBackDays),
});

function SettingsForm({ teamId, settings }: { teamId: string; settings: WorkspaceSettings }) {
  const save = useSaveWorkspaceSettings(teamId);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<FormValues>({ initialValues: toForm(settings) });
  return (
    <form
      noValidate
      aria-label="Workspace settings"
      onSubmit={form.onSubmit((values) => {
        setProblem(null);
        setSaved(false);
        save.mutate(toSettings(values), {
          onSuccess: (next) => {
            form.setValues(toForm(next));
            form.resetDirty(toForm(next));
            setSaved(true);
          },
          onError: (error) => setProblem(showApiErrors(form, error)),
        });
      })}
    >
      <Stack maw={640}>
        <Fieldset legend="Sign-up defaults">
          <Checkbox.Group
            label="Days offered"
            description="Ticked in the sign-up modal for someone signing up for the first time."
            {...form.getInputProps('defaultWeekdays')}
          >
            <Group mt="xs">
              {DAYS.map((day, index) => (
                <Checkbox key={day} value={String(index + 1)} label={day} />
              ))}
            </Group>
          </Checkbox.Group>
          <TextInput
            mt="md"
            type="time"
            label="Time offered"
            description="In the manager's own time zone."
            maw={200}
            {...form.getInputProps('defaultLocalTime')}
          />
          <Switch
            mt="md"
            label="Weekly digest on for new sign-ups"
            description="A Monday summary of the week before; each manager can turn it off."
            {...form.getInputProps('weeklyDigest', { type: 'checkbox' })}
          />
          <Select
            mt="md"
            label="Default language"
            description="For managers who chose no language and whose Slack language Blindspot does not speak. A manager's own choice, then their Slack language, come first."
            data={LANGUAGE_OPTIONS}
            allowDeselect={false}
            maw={320}
            {...form.getInputProps('defaultLanguage')}
          />
        </Fieldset>
        <Fieldset legend="Reminders">
          <Group align="flex-start">
            <TextInput
              type="time"
              label="Quiet hours start"
              maw={200}
              {...form.getInputProps('quietHours.start')}
            />
            <TextInput
              type="time"
              label="Quiet hours end"
              maw={200}
              {...form.getInputProps('quietHours.end')}
            />
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            No reminder or digest in this window, local time; it may cross midnight.
          </Text>
          <NumberInput
            mt="md"
            label="Most Blindspot messages a day"
            description="Topic notes included. From 2 to 10."
            clampBehavior="none"
            allowDecimal={false}
            maw={320}
            {...form.getInputProps('dailyDmCap')}
          />
          <NumberInput
            mt="md"
            label="Check back after (days)"
            description="Offered first when a manager plans an action. From 1 to 30."
            clampBehavior="none"
            allowDecimal={false}
            maw={320}
            {...form.getInputProps('checkBackDays')}
          />
        </Fieldset>
        <FormAlert message={problem} />
        {saved && (
          <Text role="status" c="teal">
            Saved.
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
