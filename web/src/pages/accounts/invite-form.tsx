import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useInvite } from '../../api/accounts.ts';
import { hasRole, ROLES, type Role } from '../../api/types.ts';
import { CopyField } from '../../components/copy-field.tsx';
import { formatDateTime } from '../../components/dates.ts';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { validateDisplayName, validateEmail } from '../../validation.ts';

/** Roles `role` may hand out: an owner any, an admin up to editor (the API enforces it too). */
export function grantableRoles(role: Role): Role[] {
  return ROLES.filter((candidate) => hasRole('owner', role) || !hasRole(candidate, 'admin'));
}

export function InviteForm({ role }: { role: Role }) {
  const invite = useInvite();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', displayName: '', role: 'viewer' as Role },
    validate: { email: validateEmail, displayName: validateDisplayName },
  });
  const invitation = invite.data?.invitation;
  return (
    <Stack gap="sm">
      <form
        noValidate
        aria-label="Invite someone"
        onSubmit={form.onSubmit((values) => {
          setProblem(null);
          invite.mutate(
            {
              email: values.email.trim(),
              displayName: values.displayName.trim(),
              role: values.role,
            },
            {
              onSuccess: () => form.reset(),
              onError: (error) => setProblem(showApiErrors(form, error)),
            },
          );
        })}
      >
        <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
          <TextInput
            label="Email"
            type="email"
            required
            miw={200}
            {...form.getInputProps('email')}
          />
          <TextInput label="Name" required miw={160} {...form.getInputProps('displayName')} />
          <NativeSelect
            label="Role"
            data={grantableRoles(role)}
            miw={120}
            {...form.getInputProps('role')}
          />
        </Group>
        <FormAlert message={problem} />
        <Button type="submit" mt="sm" loading={invite.isPending}>
          Invite
        </Button>
      </form>
      {invitation && (
        <Stack gap={4} data-testid="invitation">
          <CopyField label="Invitation link" value={invitation.url} />
          <Text size="sm" c="dimmed">
            {invitation.emailed
              ? 'We also emailed it.'
              : 'Email is not set up: send this link yourself.'}{' '}
            It works once, until {formatDateTime(invitation.expiresAt)}.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
