import { Paper, Stack, Table, Title } from '@mantine/core';
import { useAccounts } from '../../api/accounts.ts';
import { hasRole, type SessionInfo } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { PageTitle } from '../../components/page-title.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollTable } from '../../components/scroll-table.tsx';
import { Link } from '../../router.tsx';
import { InviteForm } from './invite-form.tsx';

/** Everyone with an admin account: invite, and open one to change it. */
export function AccountsPage({ session }: { session: SessionInfo }) {
  const accounts = useAccounts();
  const role = session.account.role;
  return (
    <Stack>
      <PageTitle>Accounts</PageTitle>
      {hasRole(role, 'admin') && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            Invite someone
          </Title>
          <InviteForm role={role} />
        </Paper>
      )}
      <QueryState query={accounts}>
        {(list) => (
          <ScrollTable label="Accounts" minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Second factor</Table.Th>
                  <Table.Th>Last sign-in</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((account) => (
                  <Table.Tr key={account.id}>
                    <Table.Td>
                      <Link to={`/accounts/${encodeURIComponent(account.id)}`}>
                        {account.displayName}
                      </Link>
                    </Table.Td>
                    <Table.Td>{account.email}</Table.Td>
                    <Table.Td>{account.role}</Table.Td>
                    <Table.Td>{account.status}</Table.Td>
                    <Table.Td>{account.secondFactor ? 'Yes' : 'Not yet'}</Table.Td>
                    <Table.Td>{formatDateTime(account.lastSignInAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </QueryState>
    </Stack>
  );
}
