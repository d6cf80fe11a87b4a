import { Alert } from '@mantine/core';

/** A form-level problem, announced to screen readers when it appears. */
export function FormAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" title="That didn't work">
      {message}
    </Alert>
  );
}
