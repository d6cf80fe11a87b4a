/**
 * Signed-in people and scripts for tests of the admin API's rules, without walking through the
 * second-factor steps each time (test/api/admin-second-factors.test.ts covers those): a session
 * row made by the business layer in the stage wanted, its cookie handed to an AdminBrowser.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createApiKey } from '../../src/core/admin-accounts/api-keys.ts';
import type { AdminRole } from '../../src/core/admin-accounts/rules.ts';
import { type SessionStage, sessionPolicy } from '../../src/core/admin-sessions/rules.ts';
import { createSession } from '../../src/core/admin-sessions/service.ts';
import { type AdminApi, AdminBrowser, createAccount, type TestAccount } from './admin-harness.ts';

let people = 0;

export interface SignedIn {
  browser: AdminBrowser;
  account: TestAccount;
  sessionId: string;
}

/** A person with `role`, signed in (stage full unless said), from an address of their own. */
export async function signedIn(
  api: AdminApi,
  role: AdminRole,
  options: { stage?: SessionStage; account?: TestAccount } = {},
): Promise<SignedIn> {
  people += 1;
  const account = options.account ?? (await createAccount(api.db, { role }));
  const { token, session } = await createSession(
    api.db,
    { accountId: account.id, stage: options.stage ?? 'full', address: null, userAgent: 'test' },
    sessionPolicy(30, 12),
    api.clock.now(),
  );
  const browser = new AdminBrowser(api.url, { 'x-forwarded-for': `192.0.2.${people % 250}` });
  browser.cookies.set('blindspot_admin', token);
  const answer = await browser.session();
  if (answer.status !== 200) throw new Error(`session not usable: ${answer.status}`);
  return { browser, account, sessionId: session.id };
}

/** A new API key with `role`, as an owner makes one; returns its secret. */
export async function apiKeyWithRole(api: AdminApi, role: AdminRole): Promise<string> {
  people += 1;
  const { secret } = await createApiKey(
    api.db,
    { name: `test key ${people}`, role },
    null,
    {},
    api.clock.now(),
  );
  return secret;
}

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server on a free port that keeps what it receives. */
export async function startSmtpSink(): Promise<{
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The link in a received mail (quoted-printable soft breaks undone). */
export function linkIn(mail: ReceivedMail): string {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /https?:\/\/\S+\?token=[A-Za-z0-9_%-]+/.exec(text);
  if (!match) throw new Error('no link in the mail');
  return match[0];
}
