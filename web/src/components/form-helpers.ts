/** Shows an API refusal in a form: each field's problem beside it, the rest above the buttons. */
import { ApiError, describeError } from '../api/client.ts';

interface SettableForm {
  setErrors(errors: Record<string, string>): void;
  values: object;
}

/**
 * Puts the API's per-field problems on the form's fields (a nested field as its path, such as
 * `quietHours.start`); returns what is left to show.
 */
export function showApiErrors(form: SettableForm, error: unknown): string | null {
  if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
    const known = Object.fromEntries(
      Object.entries(error.fields).filter(
        ([field]) => (field.split('.')[0] ?? field) in form.values,
      ),
    );
    form.setErrors(known);
    if (Object.keys(known).length === Object.keys(error.fields).length) return null;
  }
  return describeError(error);
}
