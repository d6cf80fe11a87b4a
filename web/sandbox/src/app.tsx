/**
 * The sandbox page's frame: providers, then the workspace once the server has said who is in it.
 * Nothing here talks to Slack: the server runs the real bot against its own Slack emulator.
 */
import { Center, Loader, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { FormAlert } from '../../src/components/form-alert.tsx';
import { SandboxApiError } from './api/client.ts';
import { useSandboxSession } from './api/queries.ts';
import { contrastVariables, theme } from './theme.ts';
import { Workspace } from './workspace/workspace.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a network blip might.
      retry: (count, error) =>
        !(error instanceof SandboxApiError && error.status >= 400 && error.status < 500) &&
        count < 2,
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
      <Notifications position="top-right" className="sb-notifications" />
      <QueryClientProvider client={queryClient}>
        <SandboxPage />
      </QueryClientProvider>
    </MantineProvider>
  );
}

function SandboxPage() {
  const session = useSandboxSession();
  if (session.isPending) {
    return (
      <Center h="100dvh">
        <Loader aria-label="Loading the sandbox" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center p="xl" component="main">
        <FormAlert message="The sandbox server could not be reached. Reload the page to try again." />
      </Center>
    );
  }
  return <Workspace session={session.data} />;
}
