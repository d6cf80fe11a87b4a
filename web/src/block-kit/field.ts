import type { ReactNode } from 'react';
import type { Json } from './read.ts';
import type { ViewStateValue } from './types.ts';

/** The props every field takes, once the element knows its value. */
export interface FieldProps {
  element: Json;
  value: ViewStateValue | undefined;
  commit: (next: ViewStateValue) => void;
  /** The visible label in an input block; elsewhere the field is named by `name`. */
  label?: ReactNode;
  name: string;
  description?: ReactNode;
  error?: string;
  disabled: boolean;
  users?: Readonly<Record<string, string>>;
}
