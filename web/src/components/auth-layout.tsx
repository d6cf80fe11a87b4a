import { Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ColorSchemeToggle } from './color-scheme-toggle.tsx';

/** The frame of the pages before the dashboard: sign-in, setup, enrolment, invitations. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Container size={480} px="md" py="xl">
      <Stack gap="md">
        <Group justify="space-between" component="header">
          <Text fw={700} size="lg">
            Blindspot admin
          </Text>
          <ColorSchemeToggle />
        </Group>
        <Paper component="main" withBorder p="lg" radius="md">
          <Stack gap="md">
            <Title order={1} size="h2">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </Stack>
    </Container>
  );
}
