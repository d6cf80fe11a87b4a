/**
 * The app's frame: providers, the session guard and the page table. Which pages a session may
 * see follows its stage, as the API enforces it: no session → sign-in; 'second_factor' → the
 * challenge; 'enrolment' → enrolment; 'full' → the dashboard.
 */
import {
  Center,
  type CSSVariablesResolver,
  createTheme,
  Loader,
  MantineProvider,
  Notification,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { forgetSession, useSession } from './api/auth.ts';
import { ApiError, onSessionEnded } from './api/client.ts';
import type { SessionInfo } from './api/types.ts';
import { DashboardShell } from './components/app-shell.tsx';
import { FormAlert } from './components/form-alert.tsx';
import { AccountPage } from './pages/accounts/account-page.tsx';
import { AccountsPage } from './pages/accounts/accounts-page.tsx';
import { AnalyticsPage } from './pages/analytics/analytics-page.tsx';
import { ApiKeysPage } from './pages/api-keys/api-keys-page.tsx';
import { AuditPage } from './pages/audit/audit-page.tsx';
import { EnrolmentPage } from './pages/enrolment/enrolment-page.tsx';
import { InvitationPage } from './pages/invitation/invitation-page.tsx';
import { OverviewPage } from './pages/overview/overview-page.tsx';
import { PasswordResetPage } from './pages/password-reset/password-reset-page.tsx';
import { PeoplePage } from './pages/people/people-page.tsx';
import { MySecurityPage } from './pages/security/my-security-page.tsx';
import { SettingsPage } from './pages/settings/settings-page.tsx';
import { SetupPage } from './pages/setup/setup-page.tsx';
import { SecondFactorPage } from './pages/sign-in/second-factor-page.tsx';
import { SignInPage } from './pages/sign-in/sign-in-page.tsx';
import { TopicEditorPage } from './pages/topics/topic-editor-page.tsx';
import { TopicsPage } from './pages/topics/topics-page.tsx';
import { matchPath, navigate, useLocation } from './router.tsx';

// Shade 8 and darker secondary text: Mantine's defaults (shade 6, gray.6 for dimmed text) fall
// short of WCAG AA contrast (4.5:1) on white, and axe-core checks every page in the tests.
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  components: {
    // Mantine's close button on a notification ("Role changed.") has no name of its own.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
    }),
  },
});

const contrastVariables: CSSVariablesResolver = (current) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': current.colors.gray[7] ?? '#495057',
    // Yellow text on a yellow tint (warning alerts) is about 3:1 even at shade 9: a dark amber.
    '--mantine-color-yellow-light-color': '#7a4300',
    // The active menu item and light buttons: indigo text on an indigo tint. Indigo 9, the
    // darkest shade, is 5.3:1 on the resting tint (indigo 1) but only 4.1:1 on the hover tint
    // (indigo 2), so a hovered active item failed WCAG AA; this darker indigo is 5.5:1 there.
    '--mantine-color-indigo-light-color': '#2b3f9e',
    // A field's error message and its text: Mantine's red 6 is 3.3:1 on white; red 9 is 5.5:1.
    '--mantine-color-error': current.colors.red[9] ?? '#c92a2a',
  },
  dark: {
    '--mantine-color-dimmed': current.colors.dark[1] ?? '#b8b8b8',
    // Red 8 is 3.4:1 on the dark page; red 3 is 6.7:1 (5.9:1 on an input).
    '--mantine-color-error': current.colors.red[3] ?? '#ff8787',
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a network blip might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      cssVariablesResolver={contrastVariables}
    >
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <Pages />
      </QueryClientProvider>
    </MantineProvider>
  );
}

/** Pages anyone may open, signed in or not. */
const PUBLIC_PAGES: Record<string, () => ReactNode> = {
  '/setup': () => <SetupPage />,
  '/sign-in': () => <SignInPage />,
  // The links the API mails or shows: <PUBLIC_URL>/admin/invite?token=, /admin/reset-password?token=
  '/invite': () => <InvitationPage />,
  '/reset-password': () => <PasswordResetPage />,
};

function Pages() {
  const { path } = useLocation();
  const session = useSession();
  const client = useQueryClient();
  // A session seen earlier and gone now has expired (or was revoked): say so at sign-in.
  const hadSession = useRef(false);
  if (session.data) hadSession.current = true;

  // A call refused because the session expired or was revoked: back to sign-in, saying why.
  useEffect(
    () =>
      onSessionEnded(() => {
        forgetSession(client);
        navigate('/sign-in?reason=expired', { replace: true });
      }),
    [client],
  );

  const publicPage = PUBLIC_PAGES[path];
  if (publicPage) return publicPage();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError) {
    return (
      <Center p="xl">
        <FormAlert message="The server could not be reached. Reload the page to try again." />
      </Center>
    );
  }
  return <SignedInPages session={session.data} path={path} ended={hadSession.current} />;
}

function SignedInPages({
  session,
  path,
  ended,
}: {
  session: SessionInfo | null;
  path: string;
  ended: boolean;
}) {
  const redirect = !session && ended ? '/sign-in?reason=expired' : redirectFor(session, path);
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);
  if (redirect || !session) return <FullPageLoader />;
  if (path === '/sign-in/second-factor') return <SecondFactorPage />;
  if (path === '/enrolment') return <EnrolmentPage session={session} />;
  return <DashboardShell session={session}>{dashboardPage(session, path)}</DashboardShell>;
}

/** Where a session in its stage must go instead of `path`, if anywhere. */
function redirectFor(session: SessionInfo | null, path: string): string | undefined {
  if (!session) return '/sign-in';
  if (session.stage === 'second_factor') {
    return path === '/sign-in/second-factor' ? undefined : '/sign-in/second-factor';
  }
  if (session.stage === 'enrolment') return path === '/enrolment' ? undefined : '/enrolment';
  // A full session stays on /enrolment while it shows the recovery codes it just received.
  if (path === '/sign-in/second-factor') return '/';
  return undefined;
}

function dashboardPage(session: SessionInfo, path: string): ReactNode {
  if (path === '/') return <OverviewPage session={session} />;
  if (path === '/accounts') return <AccountsPage session={session} />;
  const account = matchPath('/accounts/:id', path);
  if (account?.id) return <AccountPage session={session} accountId={account.id} />;
  if (path === '/api-keys') return <ApiKeysPage />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/topics') return <TopicsPage session={session} />;
  if (path === '/topics/new') return <TopicEditorPage session={session} />;
  const topic = matchPath('/topics/:id', path);
  if (topic?.id) return <TopicEditorPage session={session} topicId={topic.id} />;
  if (path === '/analytics') return <AnalyticsPage />;
  if (path === '/people') return <PeoplePage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/security') return <MySecurityPage session={session} />;
  return <FormAlert message="There is no such page. Use the menu to find your way." />;
}

function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}
