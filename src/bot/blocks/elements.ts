/** Block Kit elements the builders share. */

/** A button whose click reaches the listener for `actionId`, carrying `value`. */
export function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
) {
  return {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text },
    action_id: actionId,
    value,
    ...(style && { style }),
  };
}

/** A message of one paragraph with a row of buttons under it; `text` also shows in notifications. */
export function textWithButtons<Element>(text: string, elements: Element[]) {
  return {
    text,
    blocks: [
      { type: 'section' as const, text: { type: 'mrkdwn' as const, text } },
      { type: 'actions' as const, elements },
    ],
  };
}
