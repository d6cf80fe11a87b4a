/**
 * /admin/topics: the catalogue, the weekday themes, and import/export, of one workspace.
 * Everyone signed in may read; editors change topics, admins the weekday themes; the API
 * enforces both whatever the page shows.
 */
import { Tabs } from '@mantine/core';
import { hasRole, type SessionInfo } from '../../api/types.ts';
import { PageTitle } from '../../components/page-title.tsx';
import { TopicList } from './topic-list.tsx';
import { TopicTransfer } from './topic-transfer.tsx';
import { WeekdayThemes } from './weekday-themes.tsx';
import { WithWorkspace } from './workspace.tsx';

export function TopicsPage({ session }: { session: SessionInfo }) {
  const role = session.account.role;
  return (
    <>
      <PageTitle>Topics</PageTitle>
      <WithWorkspace>
        {(teamId) => (
          <Tabs defaultValue="catalogue" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="catalogue">Catalogue</Tabs.Tab>
              <Tabs.Tab value="themes">Weekday themes</Tabs.Tab>
              <Tabs.Tab value="transfer">Import and export</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="catalogue">
              <TopicList teamId={teamId} canEdit={hasRole(role, 'editor')} />
            </Tabs.Panel>
            <Tabs.Panel value="themes">
              <WeekdayThemes teamId={teamId} canEdit={hasRole(role, 'admin')} />
            </Tabs.Panel>
            <Tabs.Panel value="transfer">
              <TopicTransfer teamId={teamId} canEdit={hasRole(role, 'editor')} />
            </Tabs.Panel>
          </Tabs>
        )}
      </WithWorkspace>
    </>
  );
}
