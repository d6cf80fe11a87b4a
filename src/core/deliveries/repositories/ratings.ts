/** Note ratings: one row per delivery, the manager's latest "useful" or "not for me". */
import type { Executor } from '../../../db/executor.ts';

export type NoteRating = 'useful' | 'not_for_me';

/** Records the rating, replacing an earlier one of the same note. */
export async function upsertNoteRating(
  db: Executor,
  values: {
    deliveryId: string;
    workspaceId: string;
    managerId: string;
    topicId: string | null;
    rating: NoteRating;
    ratedAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('note_ratings')
    .values({
      delivery_id: values.deliveryId,
      workspace_id: values.workspaceId,
      manager_id: values.managerId,
      topic_id: values.topicId,
      rating: values.rating,
      rated_at: values.ratedAt,
    })
    .onConflict((oc) =>
      oc.column('delivery_id').doUpdateSet({ rating: values.rating, rated_at: values.ratedAt }),
    )
    .execute();
}

/** The note's rating, or null when it has none. */
export async function findNoteRating(db: Executor, deliveryId: string): Promise<NoteRating | null> {
  const row = await db
    .selectFrom('note_ratings')
    .where('delivery_id', '=', deliveryId)
    .select('rating')
    .executeTakeFirst();
  return row?.rating ?? null;
}
