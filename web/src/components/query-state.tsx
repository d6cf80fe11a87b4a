import { Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '../api/client.ts';
import { FormAlert } from './form-alert.tsx';

/** A query's loading and error states, or its content once it has data. */
export function QueryState<T>({
  query,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean };
  children: (data: T) => ReactNode;
}) {
  if (query.error) return <FormAlert message={describeError(query.error)} />;
  if (query.isPending || query.data === undefined) return <Loader aria-label="Loading" />;
  return children(query.data);
}
