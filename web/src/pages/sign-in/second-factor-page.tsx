import { Button, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  usePasskeySignIn,
  useSession,
  useSignOut,
  useVerifyRecoveryCode,
  useVerifyTotp,
} from '../../api/auth.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { navigate } from '../../router.tsx';
import { validateRequired, validateTotpCode } from '../../validation.ts';
import { describePasskeyError } from './sign-in-page.tsx';

type Method = 'totp' | 'recovery' | 'passkey';

/** The second step of sign-in: an authenticator code, a recovery code, or a passkey. */
export function SecondFactorPage() {
  const session = useSession().data;
  const factors = session?.secondFactors;
  const [method, setMethod] = useState<Method>(factors && !factors.totp ? 'passkey' : 'totp');
  const signOut = useSignOut();
  const choices = [
    ...(factors?.totp !== false ? [{ value: 'totp', label: 'Authenticator' }] : []),
    { value: 'recovery', label: 'Recovery code' },
    ...(factors && factors.passkeys > 0 ? [{ value: 'passkey', label: 'Passkey' }] : []),
  ];
  return (
    <AuthLayout title="Confirm it's you">
      <Text size="sm">Your password was right. Now prove it's you with your second factor.</Text>
      <SegmentedControl
        fullWidth
        aria-label="Second factor"
        value={method}
        onChange={(value) => setMethod(value as Method)}
        data={choices}
      />
      {method === 'totp' && <TotpForm />}
      {method === 'recovery' && <RecoveryCodeForm />}
      {method === 'passkey' && <PasskeyStep />}
      <Button
        variant="subtle"
        onClick={() =>
          signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) })
        }
      >
        Cancel and sign out
      </Button>
    </AuthLayout>
  );
}

function TotpForm() {
  const verify = useVerifyTotp();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { code: '' }, validate: { code: validateTotpCode } });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ code }) => {
        setProblem(null);
        verify.mutate(code.replace(/\s/g, ''), {
          onSuccess: () => navigate('/', { replace: true }),
          onError: (error) => setProblem(showApiErrors(form, error)),
        });
      })}
    >
      <Stack gap="sm">
        <TextInput
          label="6-digit code from your authenticator app"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          {...form.getInputProps('code')}
        />
        <FormAlert message={problem} />
        <Button type="submit" loading={verify.isPending}>
          Verify
        </Button>
      </Stack>
    </form>
  );
}

function RecoveryCodeForm() {
  const verify = useVerifyRecoveryCode();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: validateRequired('a recovery code') },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ code }) => {
        setProblem(null);
        verify.mutate(code.trim(), {
          onSuccess: () => navigate('/', { replace: true }),
          onError: (error) => setProblem(showApiErrors(form, error)),
        });
      })}
    >
      <Stack gap="sm">
        <TextInput
          label="One of your recovery codes"
          description="Each of your ten recovery codes works once."
          autoComplete="off"
          maxLength={64}
          {...form.getInputProps('code')}
        />
        <FormAlert message={problem} />
        <Button type="submit" loading={verify.isPending}>
          Use recovery code
        </Button>
      </Stack>
    </form>
  );
}

function PasskeyStep() {
  const passkey = usePasskeySignIn();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      <FormAlert message={problem} />
      <Button
        loading={passkey.isPending}
        onClick={() => {
          setProblem(null);
          passkey.mutate(undefined, {
            onSuccess: () => navigate('/', { replace: true }),
            onError: (error) => setProblem(describePasskeyError(error)),
          });
        }}
      >
        Use my passkey
      </Button>
    </Stack>
  );
}
