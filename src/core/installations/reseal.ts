/**
 * `npm run keys:rotate`: reseals every stored Slack secret under the first key of
 * BLINDSPOT_ENCRYPTION_KEYS, in committed batches. Resumable: a row already under the newest key
 * is skipped, so a run stopped half-way continues where it stopped, and a second run finds
 * nothing to do. Rows a running rotation holds are skipped by the other (SKIP LOCKED).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { lockInstallationsToReseal, updateSealedTokens } from './repository.ts';
import { sealedBinding } from './service.ts';

const BATCH = 100;

/** @returns how many installations were resealed. @throws SecretDecryptionError. */
export async function resealInstallations(
  db: Kysely<Database>,
  keyring: Keyring,
  now: () => Date,
  batchSize = BATCH,
): Promise<number> {
  let resealed = 0;
  let afterId = '0';
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await lockInstallationsToReseal(trx, keyring.currentKeyId, afterId, batchSize);
      for (const row of rows) {
        const token = keyring.open(row.botTokenSealed, sealedBinding('bot_token', row));
        const refresh =
          row.botRefreshTokenSealed === null
            ? null
            : keyring.open(row.botRefreshTokenSealed, sealedBinding('bot_refresh_token', row));
        await updateSealedTokens(
          trx,
          row.id,
          {
            botTokenSealed: keyring.seal(token, sealedBinding('bot_token', row)),
            botRefreshTokenSealed:
              refresh === null
                ? null
                : keyring.seal(refresh, sealedBinding('bot_refresh_token', row)),
          },
          now(),
        );
        afterId = row.id;
      }
      resealed += rows.length;
      return rows.length < batchSize;
    });
    if (done) return resealed;
  }
}
