import { Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Reauthentication } from '../api/auth.ts';
import { ApiError, describeError } from '../api/client.ts';
import { reauthenticationOf, validateReauthentication } from '../validation.ts';
import { FormAlert } from './form-alert.tsx';

/**
 * Asks for the password or a current code before a second factor is replaced, as the API
 * requires once the account has one: an open session alone must not be enough to swap the
 * account's factor for someone else's. A wrong answer shows beside the field.
 */
export function ReauthenticationForm(props: {
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (proof: Reauthentication) => void;
  onCancel?: () => void;
}) {
  const form = useForm({
    initialValues: { proof: '' },
    validate: { proof: validateReauthentication },
  });
  const { error } = props;
  // A wrong password or code belongs to the field; anything else (429, a fault) above the button.
  const wrong =
    error instanceof ApiError &&
    (error.code === 'invalid_credentials' || error.code === 'invalid_code');
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(({ proof }) => props.onSubmit(reauthenticationOf(proof)))}
    >
      <Stack gap="sm">
        <Text size="sm">First confirm it is you.</Text>
        <PasswordInput
          label="Your password, or a 6-digit code from your authenticator app"
          autoComplete="current-password"
          {...form.getInputProps('proof')}
          error={form.errors.proof ?? (wrong ? describeError(error) : undefined)}
        />
        <FormAlert message={error && !wrong ? describeError(error) : null} />
        <Stack gap="xs" align="flex-start">
          <Button type="submit" loading={props.pending}>
            {props.submitLabel}
          </Button>
          {props.onCancel && (
            <Button variant="default" onClick={props.onCancel}>
              Cancel
            </Button>
          )}
        </Stack>
      </Stack>
    </form>
  );
}
