import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useRequestPasswordReset, useResetPassword } from '../../api/auth.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { LIMITS, validateEmail, validateNewPassword } from '../../validation.ts';

/** Without a token: ask for a reset link. With one (from the link): choose a new password. */
export function PasswordResetPage() {
  const token = useLocation().search.get('token');
  return token ? <ChooseNewPassword token={token} /> : <RequestLink />;
}

function RequestLink() {
  const request = useRequestPasswordReset();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '' }, validate: { email: validateEmail } });
  return (
    <AuthLayout title="Reset your password">
      {request.isSuccess ? (
        <Alert color="green" role="status">
          If an account uses that address and email is set up, a reset link is on its way. If no
          email arrives, ask an admin for a reset link: they can copy one from Accounts.
        </Alert>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit(({ email }) => {
            setProblem(null);
            request.mutate(email.trim(), {
              onError: (error) => setProblem(showApiErrors(form, error)),
            });
          })}
        >
          <Stack gap="sm">
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              {...form.getInputProps('email')}
            />
            <FormAlert message={problem} />
            <Button type="submit" loading={request.isPending}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
      <Link to="/sign-in" size="sm">
        Back to sign-in
      </Link>
    </AuthLayout>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const reset = useResetPassword();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: validateNewPassword },
  });
  return (
    <AuthLayout title="Choose a new password">
      <Text size="sm">Every session of your account is signed out when the password changes.</Text>
      <form
        noValidate
        onSubmit={form.onSubmit(({ password }) => {
          setProblem(null);
          reset.mutate(
            { token, password },
            {
              onSuccess: () => navigate('/sign-in?reason=password-changed', { replace: true }),
              onError: (error) => setProblem(showApiErrors(form, error)),
            },
          );
        })}
      >
        <Stack gap="sm">
          <PasswordInput
            label="New password"
            description={`At least ${LIMITS.passwordMin} characters. Common passwords are refused.`}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <FormAlert message={problem} />
          <Button type="submit" loading={reset.isPending}>
            Change password
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
