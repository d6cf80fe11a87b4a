import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import {
  useDeletePasskey,
  useMySessions,
  usePasskeys,
  useRegenerateRecoveryCodes,
  useRevokeMySession,
  useSignOut,
} from '../../api/auth.ts';
import { describeError } from '../../api/client.ts';
import type { SessionInfo } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { formatDateTime } from '../../components/dates.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ReauthenticationForm } from '../../components/reauthentication-form.tsx';
import { RecoveryCodes } from '../../components/recovery-codes.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { SessionsTable } from '../../components/sessions-table.tsx';
import { navigate } from '../../router.tsx';
import { PasskeyEnrolment } from '../enrolment/enrolment-page.tsx';

/** The signed-in person's own sessions and second factors. */
export function MySecurityPage({ session }: { session: SessionInfo }) {
  return (
    <Stack>
      <PageTitle>My security</PageTitle>
      <MySessions />
      <SecondFactors session={session} />
      <Passkeys session={session} />
    </Stack>
  );
}

function MySessions() {
  const sessions = useMySessions();
  const revoke = useRevokeMySession();
  const everywhere = useSignOut(true);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Where you are signed in
      </Title>
      <FormAlert message={revoke.error ? describeError(revoke.error) : null} />
      <QueryState query={sessions}>
        {(list) => (
          <SessionsTable
            sessions={list}
            revoking={revoke.isPending}
            onRevoke={(id) => revoke.mutate(id)}
          />
        )}
      </QueryState>
      <Group mt="sm">
        <ConfirmButton
          label="Sign out everywhere"
          question="Sign out of every session, this one too?"
          onConfirm={() =>
            everywhere.mutate(undefined, {
              onSettled: () => navigate('/sign-in?reason=signed-out', { replace: true }),
            })
          }
        />
      </Group>
    </Paper>
  );
}

function SecondFactors({ session }: { session: SessionInfo }) {
  const regenerate = useRegenerateRecoveryCodes();
  const [asking, setAsking] = useState(false);
  const factors = session.secondFactors;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Second factors
        </Title>
        <Text>
          Authenticator app: {factors.totp ? 'set up' : 'not set up'}. Passkeys: {factors.passkeys}.
          Recovery codes left: {factors.recoveryCodesLeft}.
        </Text>
        <Group>
          <Button variant="default" onClick={() => navigate('/enrolment')}>
            {factors.totp ? 'Replace the authenticator app' : 'Set up an authenticator app'}
          </Button>
        </Group>
        {regenerate.data ? (
          <RecoveryCodes codes={regenerate.data.recoveryCodes} />
        ) : asking ? (
          <ReauthenticationForm
            submitLabel="Make ten new recovery codes"
            pending={regenerate.isPending}
            error={regenerate.error}
            onSubmit={(proof) => regenerate.mutate(proof)}
            onCancel={() => {
              regenerate.reset();
              setAsking(false);
            }}
          />
        ) : (
          <Group>
            <Button color="red" variant="light" onClick={() => setAsking(true)}>
              New recovery codes
            </Button>
            <Text size="sm" c="dimmed">
              The old ones stop working.
            </Text>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function Passkeys({ session }: { session: SessionInfo }) {
  const passkeys = usePasskeys(true);
  const remove = useDeletePasskey();
  const [codes, setCodes] = useState<string[] | null>(null);
  const factors = session.secondFactors;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Passkeys
        </Title>
        <FormAlert message={remove.error ? describeError(remove.error) : null} />
        <QueryState query={passkeys}>
          {(list) =>
            list.length === 0 ? (
              <Text c="dimmed">No passkeys yet.</Text>
            ) : (
              <ScrollTable label="Passkeys" minWidth={420}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Added</Table.Th>
                      <Table.Th>Last used</Table.Th>
                      <Table.Th>
                        <span className="mantine-visually-hidden">Actions</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((passkey) => (
                      <Table.Tr key={passkey.id}>
                        <Table.Td>{passkey.name}</Table.Td>
                        <Table.Td>{formatDateTime(passkey.createdAt)}</Table.Td>
                        <Table.Td>{formatDateTime(passkey.lastUsedAt)}</Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            color="red"
                            variant="light"
                            disabled={remove.isPending}
                            onClick={() => remove.mutate(passkey.id)}
                          >
                            Remove
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            )
          }
        </QueryState>
        {codes && <RecoveryCodes codes={codes} />}
        <PasskeyEnrolment
          // A new passkey is a new way in: once there is a factor, it needs proof it is you.
          needsProof={factors.totp || factors.passkeys > 0}
          onDone={(first) => first && setCodes(first)}
        />
      </Stack>
    </Paper>
  );
}
