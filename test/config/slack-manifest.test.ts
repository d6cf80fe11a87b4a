/**
 * The Slack app manifests (config/slack), checked against the bot's code: every scope is one a
 * Web API method or event the bot uses needs (and no other), every event and the slash command
 * the bot listens for is subscribed, every URL is the gateway's /slack/events, and the Socket
 * Mode manifest is the same app without the URLs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// A dependency of @fastify/swagger, vitest and the OpenAPI validator, not a direct one.
import { parse as parseYaml } from 'yaml';
import { BOT_SCOPES } from '../../src/bot/slack-install.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PLACEHOLDER_URL = 'https://blindspot.example.com/slack/events';

interface Manifest {
  features: {
    app_home: Record<string, boolean>;
    slash_commands: Array<{ command: string; url?: string }>;
  };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    socket_mode_enabled: boolean;
  };
}

function manifest(name: string): Manifest {
  return parseYaml(readFileSync(path.join(ROOT, 'config/slack', name), 'utf8')) as Manifest;
}

/** Every .ts file under src/bot except the generated API client, as one string. */
function botSource(): string {
  const dir = path.join(ROOT, 'src/bot');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.startsWith('api-client'))
    .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    .join('\n');
}

/** The bot scope each Web API method the bot calls needs; null for none. */
const SCOPE_OF_METHOD: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'conversations.history': 'im:history',
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  'users.list': 'users:read',
  'users.profile.get': 'users.profile:read',
  'views.open': null,
  'views.publish': null,
  'views.update': null,
  'usergroups.list': 'usergroups:read',
  'usergroups.users.list': 'usergroups:read',
};

/** The bot scope each subscribed event needs; the manifest names message events by channel type. */
const SCOPE_OF_EVENT: Record<string, string | null> = {
  app_home_opened: null,
  'message.im': 'im:history',
  app_uninstalled: null,
  tokens_revoked: null,
  subteam_created: 'usergroups:read',
  subteam_updated: 'usergroups:read',
  subteam_members_changed: 'usergroups:read',
  user_status_changed: 'users:read',
};

const http = manifest('manifest.yaml');
const socket = manifest('manifest.socket-mode.yaml');
const source = botSource();
const methods = new Set(
  [
    ...source.matchAll(
      /\.(chat|users|views|conversations|reactions|team|usergroups)\.([A-Za-z.]+)\(/g,
    ),
  ].map((match) => `${match[1]}.${match[2]}`),
);

describe('the Slack app manifest', () => {
  it('asks for exactly the scopes the bot uses', () => {
    for (const method of methods)
      expect(SCOPE_OF_METHOD, `${method}: add its scope here and to the manifest`).toHaveProperty([
        method,
      ]);
    const needed = new Set<string>(['commands']);
    for (const method of methods) {
      const scope = SCOPE_OF_METHOD[method];
      if (scope) needed.add(scope);
    }
    for (const event of http.settings.event_subscriptions.bot_events) {
      expect(SCOPE_OF_EVENT, `${event}: add its scope here`).toHaveProperty([event]);
      const scope = SCOPE_OF_EVENT[event];
      if (scope) needed.add(scope);
    }

    expect(methods.size).toBeGreaterThan(0);
    expect([...http.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('subscribes to every event the bot listens for, and to no other', () => {
    const listened = new Set(
      [...source.matchAll(/\.event\(\s*'([a-z_]+)'/g)].map((match) => String(match[1])),
    );
    // app-lifecycle.ts registers one listener for both, from a list.
    for (const match of source.matchAll(/of \[([^\]]+)\] as const/g))
      for (const name of String(match[1]).matchAll(/'([a-z_]+)'/g)) listened.add(String(name[1]));
    const subscribed = http.settings.event_subscriptions.bot_events.map((event) =>
      // DMs only: message.im arrives as a `message` event.
      event.startsWith('message.') ? 'message' : event,
    );

    expect(new Set(subscribed)).toEqual(listened);
  });

  it('declares the slash command, interactivity and the App Home the bot serves', () => {
    const commands = [...source.matchAll(/\.command\(\s*'([^']+)'/g)].map((match) => match[1]);

    expect(http.features.slash_commands.map((c) => c.command)).toEqual(commands);
    expect(source).toMatch(/\.(action|view)\(/);
    expect(http.settings.interactivity.is_enabled).toBe(true);
    // The sign-up modal's time-zone menu loads its options from the bot as the manager types.
    expect(source).toMatch(/\.options\(/);
    expect(http.settings.interactivity.message_menu_options_url).toBe(PLACEHOLDER_URL);
    expect(http.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('sends everything to the one placeholder URL the guide tells you to replace', () => {
    const urls = [
      ...http.features.slash_commands.map((c) => c.url),
      http.settings.event_subscriptions.request_url,
      http.settings.interactivity.request_url,
      http.settings.interactivity.message_menu_options_url,
    ];

    expect(new Set(urls)).toEqual(new Set([PLACEHOLDER_URL]));
    expect(source).toContain("'/slack/events'");
    expect(http.settings.socket_mode_enabled).toBe(false);
  });
});

describe('Add to Slack', () => {
  it('asks for the manifest’s scopes and sends the installer back to /slack/oauth_redirect', () => {
    expect([...BOT_SCOPES].sort()).toEqual([...http.oauth_config.scopes.bot].sort());
    expect(http.oauth_config.redirect_urls).toEqual([
      'https://blindspot.example.com/slack/oauth_redirect',
    ]);
  });
});

describe('the Socket Mode manifest', () => {
  it('is the same app, with Socket Mode on and no request URLs', () => {
    const expected = structuredClone(http);
    for (const command of expected.features.slash_commands) delete command.url;
    delete expected.settings.event_subscriptions.request_url;
    delete expected.settings.interactivity.request_url;
    delete expected.settings.interactivity.message_menu_options_url;
    // Add to Slack needs a public URL: many workspaces are an HTTP-mode setup only.
    delete expected.oauth_config.redirect_urls;
    expected.settings.socket_mode_enabled = true;

    expect(socket).toEqual(expected);
  });
});
