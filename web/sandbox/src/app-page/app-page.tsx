/**
 * Blindspot's app page as Slack shows it: the app's name, a Home tab (the view the bot publishes)
 * and a Messages tab (the DM, with the composer), plus whatever modal the bot has open.
 */
import { Avatar, Center, Group, Loader, Tabs, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../../src/components/form-alert.tsx';
import type { Person, PersonState, Session } from '../api/client.ts';
import { HomeTab } from './home-tab.tsx';
import { MessagesTab } from './messages-tab.tsx';
import { ViewModal } from './view-modal.tsx';

type Tab = 'home' | 'messages';

export function AppPage({
  person,
  bot,
  state,
  now,
}: {
  person: Person;
  bot: Session['bot'];
  state: UseQueryResult<PersonState>;
  now: Date;
}) {
  const [tab, setTab] = useState<Tab>('home');

  return (
    <Tabs
      className="sb-app"
      value={tab}
      onChange={(value) => setTab(value === 'messages' ? 'messages' : 'home')}
      // Hidden panels stay mounted: a half-typed message survives a look at Home.
      keepMounted
    >
      <Group px="md" pt="sm" gap="sm" wrap="nowrap">
        <Avatar radius="sm" color="teal" variant="filled" aria-hidden>
          {bot.name.slice(0, 1)}
        </Avatar>
        <div>
          <Title order={1} size="h4">
            {bot.name}
          </Title>
          <Text size="xs" c="dimmed">
            The app you are trying, as {person.name} ({person.title})
          </Text>
        </div>
      </Group>
      <Tabs.List px="md">
        <Tabs.Tab value="home">Home</Tabs.Tab>
        <Tabs.Tab value="messages">Messages</Tabs.Tab>
      </Tabs.List>
      {state.isPending ? (
        <Center p="xl">
          <Loader aria-label={`Loading ${person.name}'s Slack`} />
        </Center>
      ) : state.isError ? (
        <Center p="xl">
          <FormAlert message={state.error.message} />
        </Center>
      ) : (
        <>
          <Tabs.Panel value="home" className="sb-app">
            <HomeTab
              person={person}
              home={state.data.home}
              users={state.data.users}
              active={tab === 'home'}
            />
          </Tabs.Panel>
          <Tabs.Panel value="messages" className="sb-app">
            <MessagesTab
              person={person}
              bot={bot}
              state={state.data}
              now={now}
              active={tab === 'messages'}
            />
          </Tabs.Panel>
          <ViewModal person={person} modals={state.data.modals} users={state.data.users} />
        </>
      )}
    </Tabs>
  );
}
