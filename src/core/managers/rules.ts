import { IANAZone } from 'luxon';

/** Slack's locales look like "en-US"; we also accept a bare language ("fr"). */
const LOCALE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function isValidLocale(locale: string): boolean {
  return LOCALE.test(locale);
}
