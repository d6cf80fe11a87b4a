/** Column types that several tables share. */
import type { ColumnType } from 'kysely';

/** Set by the database, or by the service's clock where time-dependent rules read it back. */
export type CreatedAt = ColumnType<Date, Date | undefined, never>;
export type UpdatedAt = ColumnType<Date, never, Date>;
/** `date` columns come back as 'YYYY-MM-DD' strings (see src/db/types.ts). */
export type LocalDate = string;
/** The states of a leased note, which deliveries and reminders share. */
export type Status = 'pending' | 'claimed' | 'sent' | 'missed' | 'failed';
