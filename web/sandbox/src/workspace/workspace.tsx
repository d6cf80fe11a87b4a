/**
 * The workspace as a newcomer sees it: Slack's sidebar (who you are playing, the app, what to
 * try) and the Blindspot app page, under a banner that says it is a sandbox and the time
 * machine. The person shown is remembered in the browser, so a reload keeps the same person.
 */
import { AppShell, Box, Burger, Group, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { ColorSchemeToggle } from '../../../src/components/color-scheme-toggle.tsx';
import type { Person, Session } from '../api/client.ts';
import { usePersonEvents, usePersonState } from '../api/queries.ts';
import { AppPage } from '../app-page/app-page.tsx';
import { useSandboxNow } from '../time.ts';
import { Sidebar } from './sidebar.tsx';
import { TimeMachine } from './time-machine.tsx';

const CHOSEN_PERSON_KEY = 'blindspot-sandbox-person';

export function Workspace({ session }: { session: Session }) {
  const [navOpened, nav] = useDisclosure();
  // Below Mantine's 'sm' breakpoint the sidebar slides out of view when closed: out of the tab
  // order and the accessibility tree too, or keyboard users would tab through what they can't see.
  const narrow = useMediaQuery('(max-width: 48em)');
  const [person, choose] = useChosenPerson(session.people);
  const state = usePersonState(person?.userId);
  usePersonEvents(person?.userId);
  const now = useSandboxNow(state.data?.clock ?? session.clock);

  return (
    <AppShell navbar={{ width: 272, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}>
      <AppShell.Navbar
        className="sb-sidebar"
        p="sm"
        component="nav"
        aria-label="Workspace"
        inert={narrow && !navOpened}
        onKeyDown={(event) => {
          if (event.key === 'Escape') nav.close();
        }}
      >
        <Sidebar
          people={session.people}
          chosen={person?.userId}
          now={now}
          onChoose={(next) => {
            choose(next);
            nav.close();
          }}
          onClose={nav.close}
        />
      </AppShell.Navbar>
      <AppShell.Main className="sb-main">
        <Group
          px="md"
          py={6}
          gap="xs"
          justify="space-between"
          wrap="nowrap"
          bg="var(--mantine-color-yellow-light)"
        >
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? 'Close the workspace menu' : 'Open the workspace menu'}
            />
            <Text
              fz={{ base: 'xs', sm: 'sm' }}
              fw={600}
              c="var(--mantine-color-yellow-light-color)"
            >
              Sandbox: nothing here reaches Slack; the people are made up.
            </Text>
          </Group>
          <Box style={{ flexShrink: 0 }}>
            <ColorSchemeToggle />
          </Box>
        </Group>
        {person && (
          <>
            <TimeMachine person={person} now={now} />
            <AppPage
              key={person.userId}
              person={person}
              bot={session.bot}
              state={state}
              now={now}
            />
          </>
        )}
      </AppShell.Main>
    </AppShell>
  );
}

/** The person played, by default the first; kept in localStorage across reloads. */
function useChosenPerson(people: Person[]): [Person | undefined, (userId: string) => void] {
  const [chosen, setChosen] = useState(() => readChosen());
  const person = people.find((candidate) => candidate.userId === chosen) ?? people[0];
  const choose = (userId: string) => {
    setChosen(userId);
    try {
      localStorage.setItem(CHOSEN_PERSON_KEY, userId);
    } catch {
      // Storage refused (private mode, full): the choice lasts until the page is reloaded.
    }
  };
  return [person, choose];
}

function readChosen(): string | null {
  try {
    return localStorage.getItem(CHOSEN_PERSON_KEY);
  } catch {
    return null;
  }
}
