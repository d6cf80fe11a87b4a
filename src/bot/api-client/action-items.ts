/**
 * The bot's calls about a manager's action items: saving one (from the modal, a thread or a DM),
 * listing, changing, deleting and undoing that, and the answers to the reminders that check
 * back on one, with the reflection after.
 */
import type { components, paths } from './schema.ts';
import type { CallContext, Transport } from './transport.ts';

export type ActionItem = components['schemas']['ActionItem'];
export type NewActionItem =
  paths['/api/v1/action-items']['post']['requestBody']['content']['application/json'];
export type ActionItemChanges =
  paths['/api/v1/action-items/{id}']['patch']['requestBody']['content']['application/json'];
export type CheckBack = NonNullable<NewActionItem['checkBack']>;
export type AnswerRequest =
  paths['/api/v1/action-items/{id}/responses']['post']['requestBody']['content']['application/json'];

export function actionItemCalls({ api, unwrap, headers }: Transport) {
  return {
    /** Saves an item; `created` is false when its source key was seen before. */
    async createActionItem(context: CallContext, item: NewActionItem) {
      const result = await api().POST('/api/v1/action-items', {
        params: { header: headers(context) },
        body: item,
      });
      return { item: unwrap(result) as ActionItem, created: result.response.status === 201 };
    },
    async listActionItems(
      context: CallContext,
      query: { status?: ActionItem['status']; deliveryId?: string; sourceKey?: string } = {},
    ): Promise<ActionItem[]> {
      const result = unwrap(
        await api().GET('/api/v1/action-items', { params: { header: headers(context), query } }),
      );
      return result.items;
    },
    async getActionItem(context: CallContext, id: string): Promise<ActionItem> {
      return unwrap(
        await api().GET('/api/v1/action-items/{id}', {
          params: { header: headers(context), path: { id } },
        }),
      );
    },
    async updateActionItem(
      context: CallContext,
      id: string,
      changes: ActionItemChanges,
    ): Promise<ActionItem> {
      return unwrap(
        await api().PATCH('/api/v1/action-items/{id}', {
          params: { header: headers(context), path: { id } },
          body: changes,
        }),
      );
    },
    async deleteActionItem(context: CallContext, id: string): Promise<void> {
      unwrap(
        await api().DELETE('/api/v1/action-items/{id}', {
          params: { header: headers(context), path: { id } },
        }),
      );
    },
    /** "Undo" a deletion, within its minute; after it, 409 `undo_expired`. */
    async restoreActionItem(context: CallContext, id: string): Promise<ActionItem> {
      return unwrap(
        await api().POST('/api/v1/action-items/{id}/restore', {
          params: { header: headers(context), path: { id } },
        }),
      );
    },
    async answer(context: CallContext, itemId: string, answer: AnswerRequest) {
      return unwrap(
        await api().POST('/api/v1/action-items/{id}/responses', {
          params: { header: headers(context), path: { id: itemId } },
          body: answer,
        }),
      );
    },
    /** "Change answer": replaces an answer to a reminder; 409 `answer_locked` when too late. */
    async changeAnswer(
      context: CallContext,
      itemId: string,
      responseId: string,
      answer: Omit<AnswerRequest, 'reminderId'>,
    ) {
      return unwrap(
        await api().PUT('/api/v1/action-items/{id}/responses/{responseId}/answer', {
          params: { header: headers(context), path: { id: itemId, responseId } },
          body: answer,
        }),
      );
    },
    async reflect(
      context: CallContext,
      itemId: string,
      responseId: string,
      reflection: { reflection?: string | null; usefulness?: number | null },
    ) {
      return unwrap(
        await api().PATCH('/api/v1/action-items/{id}/responses/{responseId}', {
          params: { header: headers(context), path: { id: itemId, responseId } },
          body: reflection,
        }),
      );
    },
  };
}
