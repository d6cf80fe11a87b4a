/**
 * Drives the sandbox's page API (/sandbox/api) as the page does, for tests that check the server
 * side of the sandbox without a browser. Finds buttons and inputs in the bot's own blocks, so a
 * test says "press Done", not an action id.
 */
type Json = Record<string, unknown>;
export type Block = Json & { type: string; block_id?: string; elements?: Json[]; accessory?: Json };
export interface SandboxMessage {
  ts: string;
  user: string;
  text: string;
  blocks?: Block[];
  threadTs?: string;
  ephemeral?: boolean;
}
export interface SandboxView {
  id: string;
  type: string;
  blocks: Block[];
  title?: { text: string };
}
export interface SandboxState {
  dm: SandboxMessage[];
  home: SandboxView | null;
  modals: SandboxView[];
  clock: { now: string; offsetMs: number };
}

export interface SandboxSession {
  people: Array<{ userId: string; name: string; timeZone: string }>;
}

export async function sandboxSession(baseUrl: string): Promise<SandboxSession> {
  return (await (await fetch(`${baseUrl}/sandbox/api/session`)).json()) as SandboxSession;
}

/** The person in `timeZone`, or the test's premise is wrong. */
export function personIn(session: SandboxSession, timeZone: string) {
  const person = session.people.find((p) => p.timeZone === timeZone);
  if (!person) throw new Error(`No sandbox person in ${timeZone}`);
  return person;
}

/** The modal on top, or the test's premise is wrong. */
export function topModal(state: SandboxState): SandboxView {
  const view = state.modals.at(-1);
  if (!view) throw new Error('No modal is open');
  return view;
}

export function sandboxClient(baseUrl: string, userId: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/sandbox/api${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  const person = `/people/${userId}`;
  return {
    call,
    state: async () => (await call('GET', `${person}/state`)).body as unknown as SandboxState,
    command: (text: string) => call('POST', `${person}/command`, { text }),
    message: (text: string, threadTs?: string) =>
      call('POST', `${person}/message`, { text, ...(threadTs ? { threadTs } : {}) }),
    homeOpened: () => call('POST', `${person}/home-opened`, {}),
    press: (container: Json, action: Json, state?: Json) =>
      call('POST', `${person}/actions`, { container, action, ...(state ? { state } : {}) }),
    submit: (viewId: string, state: Json) =>
      call('POST', `${person}/submissions`, { viewId, state }),
    jump: (jump: string) => call('POST', '/clock', { userId, jump }),
    reset: () => call('POST', '/reset', {}),
  };
}

/** Every element of the blocks: actions' elements, accessories, and inputs' elements. */
export function elementsOf(blocks: readonly Block[]): Array<{ blockId: string; element: Json }> {
  const found: Array<{ blockId: string; element: Json }> = [];
  for (const block of blocks) {
    const blockId = String(block.block_id ?? '');
    for (const element of block.elements ?? []) found.push({ blockId, element });
    if (block.accessory) found.push({ blockId, element: block.accessory });
    if (block.element) found.push({ blockId, element: block.element as Json });
  }
  return found;
}

/** The button labelled `label`, as a block_actions action. */
export function button(blocks: readonly Block[], label: string): Json {
  const hit = elementsOf(blocks).find(
    ({ element }) =>
      element.type === 'button' && (element.text as { text?: string })?.text === label,
  );
  if (!hit) throw new Error(`No button "${label}" in ${JSON.stringify(blocks).slice(0, 2000)}`);
  const { element, blockId } = hit;
  return {
    type: 'button',
    action_id: element.action_id,
    block_id: blockId,
    text: element.text,
    ...(element.value !== undefined ? { value: element.value } : {}),
  };
}

/** A view's state as Slack fills it before the person changes anything. */
export function initialValues(blocks: readonly Block[]): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  for (const block of blocks) {
    if (block.type !== 'input') continue;
    const element = block.element as Json;
    const actionId = String(element.action_id);
    const value: Json = { type: element.type };
    if (element.type === 'plain_text_input') value.value = element.initial_value ?? null;
    if (element.type === 'checkboxes' || element.type === 'multi_static_select')
      value.selected_options = element.initial_options ?? [];
    if (
      /select|radio_buttons/.test(String(element.type)) &&
      !String(element.type).startsWith('multi')
    )
      value.selected_option = element.initial_option ?? null;
    if (element.type === 'datepicker') value.selected_date = element.initial_date ?? null;
    if (element.type === 'timepicker') value.selected_time = element.initial_time ?? null;
    values[String(block.block_id)] = { [actionId]: value };
  }
  return values;
}

export function textOf(blocks: readonly unknown[] | undefined): string {
  return JSON.stringify(blocks ?? []);
}

/** Polls a person's state until `check` holds; fails with the last state after 20 s. */
export async function waitForState(
  read: () => Promise<SandboxState>,
  check: (state: SandboxState) => boolean,
  what: string,
): Promise<SandboxState> {
  const deadline = Date.now() + 20_000;
  let state = await read();
  while (!check(state)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}; state: ${JSON.stringify(state).slice(0, 3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await read();
  }
  return state;
}
