/** Slack's limits on a view, and a check that lists every part over one (block-kit tests). */

type Json = Record<string, unknown>;
const asJson = (value: unknown): Json => (value ?? {}) as Json;

/**
 * Slack's limits on what a view may carry; a view over one is refused whole (invalid_blocks),
 * so the manager sees nothing. https://docs.slack.dev/reference/block-kit/blocks
 */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  accessibilityLabel: 75,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  placeholder: 150,
  label: 2000,
  id: 255,
  // A confirmation dialog (Delete, Drop it, Unsubscribe).
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
};

/** Every part of a view over one of Slack's limits, as 'where: what (length > limit)'. */
export function overLimits(root: unknown, where: string): string[] {
  const problems: string[] = [];
  const check = (path: string, value: unknown, limit: number) => {
    if (typeof value === 'string' && [...value].length > limit)
      problems.push(`${where}${path}: ${[...value].length} > ${limit}`);
  };
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      value.forEach((entry, index) => {
        walk(entry, `${path}[${index}]`);
      });
      return;
    }
    if (!value || typeof value !== 'object') return;
    const object = value as Json;
    const text = asJson(object.text).text;
    if (object.type === 'section') check(`${path}.text`, text, LIMITS.sectionText);
    if (object.type === 'header') check(`${path}.text`, text, LIMITS.headerText);
    if (object.type === 'button') {
      check(`${path}.text`, text, LIMITS.buttonText);
      check(`${path}.value`, object.value, LIMITS.buttonValue);
    }
    if ('value' in object && 'text' in object && object.type === undefined) {
      check(`${path}.option`, text, LIMITS.optionText);
      check(`${path}.option.value`, object.value, LIMITS.optionValue);
      check(`${path}.option.description`, asJson(object.description).text, LIMITS.optionText);
    }
    check(`${path}.accessibility_label`, object.accessibility_label, LIMITS.accessibilityLabel);
    if (object.confirm) {
      const dialog = asJson(object.confirm);
      check(`${path}.confirm.title`, asJson(dialog.title).text, LIMITS.confirmTitle);
      check(`${path}.confirm.text`, asJson(dialog.text).text, LIMITS.confirmText);
      check(`${path}.confirm.confirm`, asJson(dialog.confirm).text, LIMITS.confirmButton);
      check(`${path}.confirm.deny`, asJson(dialog.deny).text, LIMITS.confirmButton);
    }
    check(`${path}.placeholder`, asJson(object.placeholder).text, LIMITS.placeholder);
    check(`${path}.label`, asJson(object.label).text, LIMITS.label);
    check(`${path}.hint`, asJson(object.hint).text, LIMITS.label);
    check(`${path}.block_id`, object.block_id, LIMITS.id);
    check(`${path}.action_id`, object.action_id, LIMITS.id);
    for (const [key, child] of Object.entries(object)) walk(child, `${path}.${key}`);
  };
  walk(root, '');
  return problems;
}
