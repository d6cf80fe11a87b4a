import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useAcceptInvitation } from '../../api/auth.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { navigate, useLocation } from '../../router.tsx';
import { LIMITS, validateDisplayName, validateNewPassword } from '../../validation.ts';

/** Accepting an invitation: choose a name and a password, then set up a second factor. */
export function InvitationPage() {
  const token = useLocation().search.get('token') ?? '';
  const accept = useAcceptInvitation();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { displayName: '', password: '' },
    validate: { displayName: validateDisplayName, password: validateNewPassword },
  });
  return (
    <AuthLayout title="Accept your invitation">
      <Text size="sm">You were invited to Blindspot's admin app. Choose how you sign in.</Text>
      {!token && (
        <Alert color="yellow" role="alert">
          This page needs the link from your invitation. Ask the person who invited you for it.
        </Alert>
      )}
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setProblem(null);
          accept.mutate(
            { token, displayName: values.displayName.trim(), password: values.password },
            {
              onSuccess: () => navigate('/enrolment', { replace: true }),
              onError: (error) => setProblem(showApiErrors(form, error)),
            },
          );
        })}
      >
        <Stack gap="sm">
          <TextInput
            label="Your name"
            autoComplete="name"
            required
            {...form.getInputProps('displayName')}
          />
          <PasswordInput
            label="Password"
            description={`At least ${LIMITS.passwordMin} characters. Common passwords are refused.`}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <FormAlert message={problem} />
          <Button type="submit" loading={accept.isPending} disabled={!token}>
            Accept invitation
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
