import { Alert, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { usePasskeySignIn, useSignIn, useSlackSignIn } from '../../api/auth.ts';
import { describeError } from '../../api/client.ts';
import type { SessionInfo } from '../../api/types.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { validateEmail, validateRequired } from '../../validation.ts';

const REASONS: Record<string, string> = {
  expired: 'Your session has ended (it expired or was signed out elsewhere). Please sign in again.',
  'signed-out': 'You have signed out.',
  'password-changed': 'Your password was changed. Sign in with the new one.',
};

/** Why "Sign in with Slack" sent the browser back here (the callback's `error` parameter). */
const SLACK_ERRORS: Record<string, string> = {
  oidc_no_account:
    'Your Slack email address has no Blindspot admin account. Ask an admin to invite that address.',
  oidc_failed: 'Slack did not confirm who you are. Please try again.',
  oidc_disabled: 'Sign in with Slack is not set up on this server.',
};

/** After the password (or Slack) step: on to the second factor, or to enrolment. */
export function goToNextStep(session: SessionInfo): void {
  if (session.stage === 'second_factor') navigate('/sign-in/second-factor', { replace: true });
  else if (session.stage === 'enrolment') navigate('/enrolment', { replace: true });
  else navigate('/', { replace: true });
}

export function SignInPage() {
  const { search } = useLocation();
  const reason = REASONS[search.get('reason') ?? ''];
  const slackErrorCode = search.get('error');
  const slackError = slackErrorCode
    ? (SLACK_ERRORS[slackErrorCode] ?? 'Signing in with Slack did not work. Please try again.')
    : undefined;
  const signIn = useSignIn();
  const passkey = usePasskeySignIn();
  const slack = useSlackSignIn();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: { email: validateEmail, password: validateRequired('your password') },
  });

  const submit = form.onSubmit((values) => {
    setProblem(null);
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: goToNextStep,
        onError: (error) => setProblem(showApiErrors(form, error)),
      },
    );
  });

  return (
    <AuthLayout title="Sign in">
      {reason && (
        <Alert color="blue" role="status">
          {reason}
        </Alert>
      )}
      {slackError && (
        <Alert color="red" role="alert">
          {slackError}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Email"
            type="email"
            autoComplete="username webauthn"
            required
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <FormAlert message={problem} />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
      <Divider label="or" labelPosition="center" />
      <Button
        variant="default"
        loading={passkey.isPending}
        onClick={() => {
          setProblem(null);
          passkey.mutate(undefined, {
            onSuccess: goToNextStep,
            onError: (error) => setProblem(describePasskeyError(error)),
          });
        }}
      >
        Sign in with a passkey
      </Button>
      {slack.data === true && (
        <Button component="a" variant="default" href="/api/v1/admin/auth/slack">
          Sign in with Slack
        </Button>
      )}
      <Link to="/reset-password" size="sm">
        Forgot your password?
      </Link>
    </AuthLayout>
  );
}

/** The browser's WebAuthn errors are DOMExceptions; a cancelled prompt is not a failure to shout. */
export function describePasskeyError(error: unknown): string {
  if (error instanceof Error && error.name === 'NotAllowedError') {
    return 'The passkey prompt was closed or timed out. Try again when you are ready.';
  }
  if (error instanceof Error && !('status' in error)) {
    return `Your browser could not use a passkey: ${error.message}`;
  }
  return describeError(error);
}
