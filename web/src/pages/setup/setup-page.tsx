import { Alert, Button, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useSetup, useSetupNeeded } from '../../api/auth.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import {
  LIMITS,
  validateDisplayName,
  validateEmail,
  validateNewPassword,
} from '../../validation.ts';

/** First run: the one-time link from the log creates the owner account. */
export function SetupPage() {
  const token = useLocation().search.get('token') ?? '';
  const needed = useSetupNeeded();
  const setup = useSetup();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', displayName: '', password: '' },
    validate: {
      email: validateEmail,
      displayName: validateDisplayName,
      password: validateNewPassword,
    },
  });

  if (needed.isPending) {
    return (
      <AuthLayout title="Set up Blindspot">
        <Loader aria-label="Loading" />
      </AuthLayout>
    );
  }
  if (needed.data && !needed.data.needed) {
    return (
      <AuthLayout title="Blindspot is already set up">
        <Text>An owner account exists. Sign in, or ask an owner to invite you.</Text>
        <Link to="/sign-in">Go to sign-in</Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Set up Blindspot">
      <Text size="sm">
        Create the first account. It is the owner: it can invite everyone else and change any
        setting.
      </Text>
      {!token && (
        <Alert color="yellow" role="alert">
          This page needs the one-time setup link that Blindspot printed in its log at first start
          (or create the owner with <code>npm run admin:create</code>).
        </Alert>
      )}
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setProblem(null);
          setup.mutate(
            {
              token,
              email: values.email.trim(),
              displayName: values.displayName.trim(),
              password: values.password,
            },
            {
              onSuccess: () => navigate('/enrolment', { replace: true }),
              onError: (error) => setProblem(showApiErrors(form, error)),
            },
          );
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
          <Button type="submit" loading={setup.isPending} disabled={!token}>
            Create owner account
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
