import { AppShell, Burger, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useSignOut } from '../api/auth.ts';
import { hasRole, type Role, type SessionInfo } from '../api/types.ts';
import { BASE, navigate, useLocation } from '../router.tsx';
import { ColorSchemeToggle } from './color-scheme-toggle.tsx';

/** The dashboard's pages; an item shows for the roles that can use it (the API enforces it). */
const NAV: { to: string; label: string; role: Role }[] = [
  { to: '/', label: 'Overview', role: 'viewer' },
  { to: '/topics', label: 'Topics', role: 'viewer' },
  { to: '/analytics', label: 'Analytics', role: 'viewer' },
  { to: '/people', label: 'People', role: 'admin' },
  { to: '/settings', label: 'Settings', role: 'admin' },
  { to: '/accounts', label: 'Accounts', role: 'admin' },
  { to: '/api-keys', label: 'API keys', role: 'owner' },
  { to: '/audit', label: 'Audit log', role: 'admin' },
  { to: '/security', label: 'My security', role: 'viewer' },
];

export function DashboardShell({
  session,
  children,
}: {
  session: SessionInfo;
  children: ReactNode;
}) {
  const [opened, { toggle, close }] = useDisclosure();
  const { path } = useLocation();
  const signOut = useSignOut();
  const role = session.account.role;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Text fw={700}>Blindspot admin</Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ColorSchemeToggle />
            <Button
              variant="default"
              size="compact-sm"
              loading={signOut.isPending}
              onClick={() =>
                signOut.mutate(undefined, {
                  onSettled: () => navigate('/sign-in?reason=signed-out', { replace: true }),
                })
              }
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label="Main">
        <Stack gap={2}>
          {NAV.filter((item) => hasRole(role, item.role)).map((item) => {
            const active = item.to === '/' ? path === '/' : path.startsWith(item.to);
            return (
              <NavLink
                key={item.to}
                href={`${BASE}${item.to === '/' ? '' : item.to}`}
                label={item.label}
                active={active}
                aria-current={active ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  close();
                  navigate(item.to);
                }}
              />
            );
          })}
        </Stack>
        <Text size="xs" c="dimmed" mt="auto" pt="md">
          Signed in as {session.account.displayName} ({role})
        </Text>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
