import { Alert, Button, Divider, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  type Reauthentication,
  useConfirmTotpEnrolment,
  useRegisterPasskey,
  useSignOut,
  useStartTotpEnrolment,
} from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import type { SessionInfo } from '../../api/types.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { CopyField } from '../../components/copy-field.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { showApiErrors } from '../../components/form-helpers.ts';
import { QrCode } from '../../components/qr-code.tsx';
import { ReauthenticationForm } from '../../components/reauthentication-form.tsx';
import { RecoveryCodes } from '../../components/recovery-codes.tsx';
import { navigate } from '../../router.tsx';
import { validatePasskeyName, validateTotpCode } from '../../validation.ts';
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
  const factors = session.secondFactors;
  // Replacing or adding to a factor the account has needs proof it is still them.
  const needsProof = factors.totp || factors.passkeys > 0;
  const title = factors.totp ? 'Replace your authenticator app' : 'Set up a second factor';
  return (
    <AuthLayout title={title}>
      {session.stage === 'enrolment' && (
        <Text size="sm">
          Every Blindspot admin signs in with a password and a second factor. Set one up to
          continue.
        </Text>
      )}
      <TotpEnrolment onDone={setRecoveryCodes} needsProof={needsProof} replacing={factors.totp} />
      {session.stage === 'full' && (
        <Button variant="default" onClick={() => navigate('/security')}>
          Back to My security
        </Button>
      )}
      {!factors.totp && (
        <>
          <Divider label="or" labelPosition="center" />
          <PasskeyEnrolment
            needsProof={needsProof}
            onDone={(codes) => (codes ? setRecoveryCodes(codes) : navigate('/'))}
          />
        </>
      )}
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

function TotpEnrolment({
  onDone,
  needsProof,
  replacing,
}: {
  onDone: (codes: string[]) => void;
  needsProof: boolean;
  replacing: boolean;
}) {
  const start = useStartTotpEnrolment();
  const confirm = useConfirmTotpEnrolment();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({ initialValues: { code: '' }, validate: { code: validateTotpCode } });

  const label = replacing ? 'Replace the authenticator app' : 'Set up an authenticator app';
  if (!start.data && needsProof) {
    return (
      <ReauthenticationForm
        submitLabel={label}
        pending={start.isPending}
        error={start.error}
        onSubmit={(proof) => start.mutate(proof)}
      />
    );
  }
  if (!start.data) {
    return (
      <Stack gap="sm">
        <Text size="sm">
          Use an authenticator app such as 1Password, Google Authenticator or Aegis.
        </Text>
        <FormAlert message={start.error ? showApiErrors(form, start.error) : null} />
        <Button loading={start.isPending} onClick={() => start.mutate({})}>
          {label}
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

/**
 * Names and registers a passkey on this device. Once the account has a second factor, the API
 * asks for the password or a current code first (a session alone must not add a way in), so
 * after the name comes the same proof as for a new authenticator app.
 */
export function PasskeyEnrolment({
  onDone,
  needsProof,
}: {
  onDone: (codes: string[] | undefined) => void;
  needsProof: boolean;
}) {
  const register = useRegisterPasskey();
  const [problem, setProblem] = useState<string | null>(null);
  // The name given, while the proof is asked for.
  const [naming, setNaming] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: validatePasskeyName },
  });
  const registerWith = (name: string, proof: Reauthentication, asked: boolean) => {
    setProblem(null);
    register.mutate(
      { name, proof },
      {
        onSuccess: (answer) => {
          setNaming(null);
          form.reset();
          onDone(answer.recoveryCodes ?? undefined);
        },
        // While the proof is asked for, the API's answers show in its form (a wrong password
        // beside the field); the browser's own errors, and all errors otherwise, here.
        onError: (error) =>
          setProblem(asked && error instanceof ApiError ? null : describePasskeyError(error)),
      },
    );
  };
  if (naming !== null) {
    return (
      <Stack gap="sm">
        <FormAlert message={problem} />
        <ReauthenticationForm
          submitLabel="Register the passkey"
          pending={register.isPending}
          error={register.error instanceof ApiError ? register.error : null}
          onSubmit={(proof) => registerWith(naming, proof, true)}
          onCancel={() => {
            register.reset();
            setProblem(null);
            setNaming(null);
          }}
        />
      </Stack>
    );
  }
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ name }) => {
        if (needsProof) {
          register.reset();
          setProblem(null);
          setNaming(name.trim());
        } else {
          registerWith(name.trim(), {}, false);
        }
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
