import { Button, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import {
  useAccountSessions,
  useAccounts,
  usePasswordResetLink,
  useResetSecondFactors,
  useRevokeAccountSession,
  useSignIns,
  useUpdateAccount,
} from '../../api/accounts.ts';
import { describeError } from '../../api/client.ts';
import { type Account, hasRole, type Role, type SessionInfo } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { CopyField } from '../../components/copy-field.tsx';
import { formatDateTime } from '../../components/dates.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { SessionsTable } from '../../components/sessions-table.tsx';
import { Link } from '../../router.tsx';
import { grantableRoles } from './invite-form.tsx';

/** One account: its role and status, a reset link, 2FA reset, its sessions and sign-ins. */
export function AccountPage({ session, accountId }: { session: SessionInfo; accountId: string }) {
  const accounts = useAccounts();
  return (
    <Stack>
      <Link to="/accounts">← All accounts</Link>
      <QueryState query={accounts}>
        {(list) => {
          const account = list.find((candidate) => candidate.id === accountId);
          if (!account) return <FormAlert message="There is no such account." />;
          return <AccountDetails account={account} session={session} />;
        }}
      </QueryState>
    </Stack>
  );
}

function AccountDetails({ account, session }: { account: Account; session: SessionInfo }) {
  const me = session.account;
  const isOwner = me.role === 'owner';
  // Owners manage everyone; admins manage editors and viewers (the API enforces the same).
  const canManage = isOwner || (hasRole(me.role, 'admin') && !hasRole(account.role, 'admin'));
  const update = useUpdateAccount();
  const resetLink = usePasswordResetLink();
  const resetFactors = useResetSecondFactors();
  const [role, setRole] = useState<Role>(account.role);
  const [problem, setProblem] = useState<string | null>(null);
  const fail = (error: unknown) => setProblem(describeError(error));
  const done = (message: string) => () => {
    setProblem(null);
    notifications.show({ message, color: 'green' });
  };
  return (
    <Stack>
      <PageTitle>{account.displayName}</PageTitle>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Text>
            {account.email} · {account.status} · second factor{' '}
            {account.secondFactor ? 'set up' : 'not set up yet'}
          </Text>
          <FormAlert message={problem} />
          {canManage && (
            <>
              <Group align="flex-end">
                <NativeSelect
                  label="Role"
                  data={grantableRoles(me.role)}
                  value={role}
                  onChange={(event) => setRole(event.currentTarget.value as Role)}
                />
                <Button
                  disabled={role === account.role}
                  loading={update.isPending}
                  onClick={() =>
                    update.mutate(
                      { id: account.id, changes: { role } },
                      { onSuccess: done('Role changed.'), onError: fail },
                    )
                  }
                >
                  Change role
                </Button>
              </Group>
              <Group>
                {account.status === 'deactivated' ? (
                  <Button
                    variant="light"
                    onClick={() =>
                      update.mutate(
                        { id: account.id, changes: { status: 'active' } },
                        { onSuccess: done('Account reactivated.'), onError: fail },
                      )
                    }
                  >
                    Reactivate
                  </Button>
                ) : (
                  <ConfirmButton
                    label="Deactivate"
                    question="Deactivate and sign out everywhere?"
                    onConfirm={() =>
                      update.mutate(
                        { id: account.id, changes: { status: 'deactivated' } },
                        { onSuccess: done('Account deactivated.'), onError: fail },
                      )
                    }
                  />
                )}
                <Button
                  variant="default"
                  loading={resetLink.isPending}
                  onClick={() => resetLink.mutate(account.id, { onError: fail })}
                >
                  Make a password reset link
                </Button>
                {isOwner && (
                  <ConfirmButton
                    label="Reset second factors"
                    question="Remove their authenticator, passkeys and recovery codes?"
                    onConfirm={() =>
                      resetFactors.mutate(account.id, {
                        onSuccess: done('Second factors reset: they enrol again at next sign-in.'),
                        onError: fail,
                      })
                    }
                  />
                )}
              </Group>
              {resetLink.data && (
                <CopyField label="Password reset link" value={resetLink.data.url} />
              )}
            </>
          )}
        </Stack>
      </Paper>
      <AccountSessions accountId={account.id} />
      <SignInHistory accountId={account.id} />
    </Stack>
  );
}

function AccountSessions({ accountId }: { accountId: string }) {
  const sessions = useAccountSessions(accountId);
  const revoke = useRevokeAccountSession(accountId);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Sessions
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
    </Paper>
  );
}

function SignInHistory({ accountId }: { accountId: string }) {
  const signIns = useSignIns(accountId);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Sign-in history
      </Title>
      <QueryState query={signIns}>
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed">No sign-ins yet.</Text>
          ) : (
            <ScrollTable label="Sign-in history" minWidth={480}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Result</Table.Th>
                    <Table.Th>Method</Table.Th>
                    <Table.Th>Address</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((signIn, index) => (
                    // Sign-ins have no id, and this list is only ever replaced, never reordered.
                    // biome-ignore lint/suspicious/noArrayIndexKey: see above.
                    <Table.Tr key={`${signIn.at}-${index}`}>
                      <Table.Td>{formatDateTime(signIn.at)}</Table.Td>
                      <Table.Td>{signIn.success ? 'Succeeded' : 'Failed'}</Table.Td>
                      <Table.Td>{signIn.method}</Table.Td>
                      <Table.Td>{signIn.address ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      </QueryState>
    </Paper>
  );
}
