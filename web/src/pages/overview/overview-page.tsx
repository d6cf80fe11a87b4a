import { Paper, Stack, Text } from '@mantine/core';
import type { SessionInfo } from '../../api/types.ts';
import { PageTitle } from '../../components/page-title.tsx';

const ROLE_MEANS = {
  owner: 'You can do everything, including managing other admins and owners and API keys.',
  admin: 'You can manage topics, people and settings, and invite editors and viewers.',
  editor: 'You can edit topics.',
  viewer: 'You can read the dashboards; you cannot change anything.',
} as const;

/** The dashboard's landing page; issue 15 adds the analytics. */
export function OverviewPage({ session }: { session: SessionInfo }) {
  return (
    <Stack>
      <PageTitle>Overview</PageTitle>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Text>Welcome, {session.account.displayName}.</Text>
          <Text>
            You are signed in as <strong data-testid="role">{session.account.role}</strong>.{' '}
            {ROLE_MEANS[session.account.role]}
          </Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
