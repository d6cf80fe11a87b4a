import {
  Alert,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../../api/api-keys.ts';
import { describeError } from '../../api/client.ts';
import { ROLES, type Role } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { CopyField } from '../../components/copy-field.tsx';
import { formatDateTime } from '../../components/dates.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { validateApiKeyName } from '../../validation.ts';

/** Keys for scripts, each with a role; the secret is shown once, at creation. */
export function ApiKeysPage() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  return (
    <Stack>
      <PageTitle>API keys</PageTitle>
      <CreateKey />
      <FormAlert message={revoke.error ? describeError(revoke.error) : null} />
      <QueryState query={keys}>
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed">No API keys.</Text>
          ) : (
            <ScrollTable label="API keys" minWidth={560}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Last used</Table.Th>
                    <Table.Th>
                      <span className="mantine-visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((key) => (
                    <Table.Tr key={key.id}>
                      <Table.Td>{key.name}</Table.Td>
                      <Table.Td>{key.role}</Table.Td>
                      <Table.Td>{formatDateTime(key.createdAt)}</Table.Td>
                      <Table.Td>{formatDateTime(key.lastUsedAt)}</Table.Td>
                      <Table.Td>
                        <ConfirmButton
                          size="xs"
                          label="Revoke"
                          question="Scripts using it stop working."
                          onConfirm={() => revoke.mutate(key.id)}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryState>
    </Stack>
  );
}

function CreateKey() {
  const create = useCreateApiKey();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', role: 'viewer' as Role },
    validate: { name: validateApiKeyName },
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Create a key
      </Title>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setProblem(null);
          create.mutate(
            { name: values.name.trim(), role: values.role },
            {
              onSuccess: () => form.reset(),
              onError: (error) => setProblem(showApiErrors(form, error)),
            },
          );
        })}
      >
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label="Name"
            description="What the key is for, e.g. “nightly export”."
            miw={220}
            {...form.getInputProps('name')}
          />
          <NativeSelect label="Role" data={[...ROLES]} miw={120} {...form.getInputProps('role')} />
        </Group>
        <FormAlert message={problem} />
        <Button type="submit" mt="sm" loading={create.isPending}>
          Create key
        </Button>
      </form>
      {create.data && (
        <Stack gap="xs" mt="md" data-testid="api-key-secret">
          <Alert color="yellow" title="Copy the key now">
            This is the only time it is shown. Send it as <code>Authorization: Bearer …</code>.
          </Alert>
          <CopyField label={`Secret for ${create.data.apiKey.name}`} value={create.data.secret} />
        </Stack>
      )}
    </Paper>
  );
}
