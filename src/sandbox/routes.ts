/**
 * /sandbox/api: what the sandbox page calls. These routes are the Slack client's side of the
 * sandbox (a person's gestures, what they see, the time machine); they reach Blindspot only
 * through the relay, as Slack would. Not part of the product API, so not in the OpenAPI document.
 */
import type { ServerResponse } from 'node:http';
import { type Static, type TSchema, Type } from 'typebox';
import { notFound } from '../core/errors.ts';
import type { HttpServer } from '../http/server.ts';
import type { Logger } from '../observability/logger.ts';
import type { SlackStandIn } from '../slack-emulator/index.ts';
import type { SandboxClock } from './clock.ts';
import { personById, SANDBOX_PEOPLE, SANDBOX_TEAM, type SandboxPerson } from './people.ts';
import type { Container, Relay, ViewStateValues } from './relay.ts';
import type { SandboxStack } from './stack.ts';
import { jump } from './time-machine.ts';

export interface SandboxRouteDeps {
  emulator: SlackStandIn;
  clock: SandboxClock;
  stack: SandboxStack;
  relay: Relay;
  logger: Logger;
  /** Tells every open page something changed that isn't one person's Slack (clock, reset). */
  broadcast: (scope: 'clock' | 'reset') => void;
  subscribe: (listener: (change: { userId?: string; scope: string }) => void) => () => void;
  /** Open event streams, ended when the sandbox stops so the server can close. */
  streams: Set<ServerResponse>;
}

const Text = (maxLength: number) => Type.String({ maxLength });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });
const ContainerSchema = Type.Union([
  Type.Object({ type: Type.Literal('message'), messageTs: Id }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('view'), viewId: Id }, { additionalProperties: false }),
]);
// The values' shape is Slack's, and the bot checks it as it checks Slack's: the relay passes it on.
const StateSchema = Type.Record(
  Type.String({ maxLength: 255 }),
  Type.Record(Type.String({ maxLength: 255 }), Type.Object({})),
);
const ActionSchema = Type.Object(
  { type: Type.String({ maxLength: 64 }), action_id: Text(255), block_id: Text(255) },
  { additionalProperties: true },
);
const PersonParams = Type.Object({ userId: Id });

const bodies = {
  command: Type.Object({ text: Text(4000) }, { additionalProperties: false }),
  message: Type.Object(
    { text: Type.String({ minLength: 1, maxLength: 4000 }), threadTs: Type.Optional(Id) },
    { additionalProperties: false },
  ),
  action: Type.Object(
    { container: ContainerSchema, action: ActionSchema, state: Type.Optional(StateSchema) },
    { additionalProperties: false },
  ),
  submission: Type.Object({ viewId: Id, state: StateSchema }, { additionalProperties: false }),
  closing: Type.Object({ viewId: Id }, { additionalProperties: false }),
  options: Type.Object(
    { container: ContainerSchema, action_id: Text(255), block_id: Text(255), value: Text(2000) },
    { additionalProperties: false },
  ),
  clock: Type.Object(
    {
      userId: Id,
      jump: Type.Union([
        Type.Literal('next-delivery'),
        Type.Literal('check-back'),
        Type.Literal('plus-day'),
      ]),
    },
    { additionalProperties: false },
  ),
};

/** A POST under a person, with its body checked against `body`. */
function personPost<B extends TSchema>(
  app: HttpServer,
  path: string,
  body: B,
  handle: (person: SandboxPerson, body: Static<B>) => Promise<unknown>,
) {
  app.post(
    `/people/:userId/${path}`,
    { schema: { hide: true, params: PersonParams, body } },
    async (request) =>
      handle(personOf(request.params as { userId: string }), request.body as Static<B>),
  );
}

function personOf(params: { userId: string }): SandboxPerson {
  const person = personById(params.userId);
  if (!person) throw notFound('sandbox_person');
  return person;
}

export async function registerSandboxRoutes(app: HttpServer, deps: SandboxRouteDeps) {
  const { emulator, clock, stack, relay } = deps;
  const clockView = () => ({ now: clock.now().toISOString(), offsetMs: clock.offsetMs });

  app.get('/session', { schema: { hide: true } }, async () => {
    await stack.current();
    return {
      people: SANDBOX_PEOPLE,
      bot: { userId: SANDBOX_TEAM.botUserId, name: SANDBOX_TEAM.botName },
      clock: clockView(),
    };
  });

  app.get(
    '/people/:userId/state',
    { schema: { hide: true, params: PersonParams } },
    async (request) => {
      const person = personOf(request.params as { userId: string });
      const users = Object.fromEntries([
        ...SANDBOX_PEOPLE.map((p) => [p.userId, p.name]),
        [SANDBOX_TEAM.botUserId, SANDBOX_TEAM.botName],
      ]);
      return { ...emulator.snapshot(person.userId), clock: clockView(), users };
    },
  );

  app.get(
    '/people/:userId/events',
    { schema: { hide: true, params: PersonParams } },
    (request, reply) => {
      const person = personOf(request.params as { userId: string });
      reply.hijack();
      const stream: ServerResponse = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // The gateway must not buffer a stream (Caddy flushes event streams by itself).
        'x-accel-buffering': 'no',
      });
      const send = (scope: string) =>
        stream.write(`event: change\ndata: ${JSON.stringify({ scope })}\n\n`);
      stream.write('retry: 2000\n\n');
      const unsubscribeSlack = emulator.onChange((change) => {
        if (change.userId === person.userId) send(change.scope);
      });
      const unsubscribeSandbox = deps.subscribe((change) => {
        if (!change.userId || change.userId === person.userId) send(change.scope);
      });
      // A comment now and then keeps proxies from closing an idle stream.
      const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), 15_000);
      keepAlive.unref();
      const end = () => {
        clearInterval(keepAlive);
        unsubscribeSlack();
        unsubscribeSandbox();
      };
      stream.on('close', end);
      deps.streams.add(stream);
      stream.on('close', () => deps.streams.delete(stream));
    },
  );

  personPost(app, 'command', bodies.command, async (person, body) => {
    const answer = await relay.command(person, body.text);
    return { status: answer.status };
  });
  personPost(app, 'message', bodies.message, async (person, body) => {
    const answer = await relay.message(person, body.text, body.threadTs);
    return { status: answer.status };
  });
  personPost(app, 'home-opened', Type.Object({}), async (person) => {
    const answer = await relay.homeOpened(person);
    return { status: answer.status };
  });
  personPost(app, 'actions', bodies.action, async (person, body) => {
    const answer = await relay.action(
      person,
      body.container as Container,
      body.action,
      body.state as ViewStateValues | undefined,
    );
    return { status: answer.status };
  });
  personPost(app, 'submissions', bodies.submission, async (person, body) => {
    const result = await relay.submit(person, body.viewId, body.state as ViewStateValues);
    return { status: result.answer.status, ...(result.errors ? { errors: result.errors } : {}) };
  });
  personPost(app, 'closings', bodies.closing, async (person, body) => {
    const answer = await relay.close(person, body.viewId);
    return { status: answer?.status ?? 200 };
  });
  personPost(app, 'options', bodies.options, async (person, body) => ({
    options: await relay.options(person, body.container as Container, body),
  }));

  app.post('/clock', { schema: { hide: true, body: bodies.clock } }, async (request) => {
    const body = request.body as Static<typeof bodies.clock>;
    const person = personOf(body);
    const result = await jump(await stack.current(), clock, person, body.jump);
    deps.broadcast('clock');
    return { clock: clockView(), to: result.to.toISOString(), what: result.what };
  });

  app.post('/reset', { schema: { hide: true } }, async () => {
    await stack.reset();
    deps.broadcast('reset');
    return { clock: clockView() };
  });
}
