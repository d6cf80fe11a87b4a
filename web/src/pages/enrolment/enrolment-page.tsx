import { Alert, Button, Divider, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  useConfirmTotpEnrolment,
  useRegisterPasskey,
  useSignOut,
  useStartTotpEnrolment,
} from '../../api/auth.ts';
import type { SessionInfo } from '../../api/types.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { CopyField } from '../../components/copy-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { QrCode } from '../../components/qr-code.tsx';
import { RecoveryCodes } from '../../components/recovery-codes.tsx';
import { navigate } from '../../router.tsx';
import { validateTotpCode } from '../../validation.ts';
import { describePasskeyError } from '../sign-in/sign-in-page.tsx';

/**
 * Setting up a second factor: an authenticator app (QR code, or the secret typed in) or a
 * passkey. Every account must have one before it reaches anything else; the ten recovery codes
 * that come with the first factor are shown here, once.
 */
export function EnrolmentPage({ session }: { session: SessionInfo }) {
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const signOut = useSignOut();
  if (recoveryCodes) {
    return (
      <AuthLayout title="Your second factor is set up">
        <RecoveryCodes codes={recoveryCodes} />
        <Button onClick={() => navigate('/', { replace: true })}>
          I have saved my codes: continue
        </Button>
      </AuthLayout>
    );
  }
  const title = session.secondFactors.totp
    ? 'Your authenticator app is set up'
    : 'Set up a second factor';
  return (
    <AuthLayout title={title}>
      {session.stage === 'enrolment' && (
        <Text size="sm">
          Every Blindspot admin signs in with a password and a second factor. Set one up to
          continue.
        </Text>
      )}
      {session.secondFactors.totp ? (
        <Button onClick={() => navigate('/security')}>Back to My security</Button>
      ) : (
        <TotpEnrolment onDone={setRecoveryCodes} />
      )}
      <Divider label="or" labelPosition="center" />
      <PasskeyEnrolment onDone={(codes) => (codes ? setRecoveryCodes(codes) : navigate('/'))} />
      {session.stage === 'enrolment' && (
        <Button
          variant="subtle"
          onClick={() =>
            signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) })
          }
        >
          Sign out
        </Button>
      )}
    </AuthLayout>
  );
}

function TotpEnrolment({ onDone }: { onDone: (codes: string[]) => void }) {
  const start = useStartTotpEnrolment();
  const confirm = useConfirmTotpEnrolment();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { code: '' }, validate: { code: validateTotpCode } });

  if (!start.data) {
    return (
      <Stack gap="sm">
        <Text size="sm">
          Use an authenticator app such as 1Password, Google Authenticator or Aegis.
        </Text>
        <FormAlert message={start.error ? showApiErrors(form, start.error) : null} />
        <Button loading={start.isPending} onClick={() => start.mutate()}>
          Set up an authenticator app
        </Button>
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <Text size="sm">Scan this code with your authenticator app:</Text>
      <QrCode value={start.data.otpauthUrl} label="QR code for your authenticator app" />
      <CopyField label="Or enter this secret by hand" value={start.data.secret} />
      <form
        noValidate
        onSubmit={form.onSubmit(({ code }) => {
          setProblem(null);
          confirm.mutate(code.replace(/\s/g, ''), {
            onSuccess: (answer) => onDone(answer.recoveryCodes),
            onError: (error) => setProblem(showApiErrors(form, error)),
          });
        })}
      >
        <Stack gap="sm">
          <TextInput
            label="Then enter the 6-digit code it shows"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            {...form.getInputProps('code')}
          />
          <FormAlert message={problem} />
          <Button type="submit" loading={confirm.isPending}>
            Confirm
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}

export function PasskeyEnrolment({ onDone }: { onDone: (codes: string[] | undefined) => void }) {
  const register = useRegisterPasskey();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '' },
    validate: {
      name: (value) =>
        value.trim() === ''
          ? 'Name the passkey, e.g. "Work laptop".'
          : value.length > 100
            ? 'Use at most 100 characters.'
            : null,
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ name }) => {
        setProblem(null);
        register.mutate(name.trim(), {
          onSuccess: (answer) => onDone(answer.recoveryCodes ?? undefined),
          onError: (error) => setProblem(describePasskeyError(error)),
        });
      })}
    >
      <Stack gap="sm">
        {register.isSuccess && (
          <Alert color="green" role="status">
            Passkey added.
          </Alert>
        )}
        <TextInput
          label="Passkey name"
          description="A passkey uses this device's screen lock or a security key."
          maxLength={100}
          {...form.getInputProps('name')}
        />
        <FormAlert message={problem} />
        <Button type="submit" variant="default" loading={register.isPending}>
          Register a passkey
        </Button>
      </Stack>
    </form>
  );
}
