/**
 * zoneOffset answers from offsets it remembers at quarter-hour instants, assuming no zone changes
 * its offset twice within fifteen minutes. Here it is held to the zone's own answer (Intl, through
 * Luxon) every few odd minutes around every change of offset from 2010 to 2030, in zones with
 * unusual rules: 45-minute offsets, a 30-minute DST, a skipped day, a two-hour DST, changes at
 * odd hours, negative DST, and Ramadan suspensions.
 */
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { zoneOffset } from '../../../src/core/schedule/rules.ts';

const ZONES = [
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Antarctica/Troll',
  'America/Santiago',
  'America/St_Johns',
  'Africa/Casablanca',
  'Europe/Dublin',
];
const DAY_MS = 86_400_000;
/** Not a divisor of fifteen minutes, so the instants fall everywhere in the quarter-hours. */
const STEP_MS = 7 * 60_000 + 13_000;

describe('the offset of a zone at an instant', () => {
  it.each(ZONES)(
    'when %s changes its offset, then zoneOffset gives the zone’s own offset on both sides of it',
    (name) => {
      const zone = IANAZone.create(name);
      let changes = 0;
      let mismatches = 0;
      const from = Date.UTC(2010, 0, 1);
      const until = Date.UTC(2030, 0, 1);
      for (let day = from; day < until; day += DAY_MS) {
        if (zone.offset(day) === zone.offset(day + DAY_MS)) continue;
        changes += 1;
        for (let at = day; at <= day + DAY_MS; at += STEP_MS) {
          if (zoneOffset(zone, at) !== zone.offset(at)) mismatches += 1;
        }
      }
      expect(mismatches).toBe(0);
      expect(changes).toBeGreaterThan(1);
    },
  );
});
