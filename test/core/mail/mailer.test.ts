/**
 * The mailer loads nodemailer with its first mail, not at start: over a real SMTP server it
 * sends, a closed mailer refuses to send, and closing one that never sent ends quietly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../../src/core/mail/mailer.ts';
import { startSmtpSink } from '../../support/admin-sessions.ts';

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  smtp = await startSmtpSink();
});

afterAll(async () => {
  await smtp?.close();
});

describe('the mailer', () => {
  it('when it sends its first mail, then the mail arrives over SMTP', async () => {
    const mailer = createMailer(smtp.url, 'Blindspot <b@example.org>');
    await mailer.send({ to: 'first@example.org', subject: 'Hello', text: 'A first mail.' });
    mailer.close();
    expect(smtp.mails.map((mail) => mail.to)).toContainEqual(['first@example.org']);
  });

  it('when it is closed, then it refuses to send and nothing arrives', async () => {
    const mailer = createMailer(smtp.url, 'Blindspot <b@example.org>');
    mailer.close();
    await expect(
      mailer.send({ to: 'late@example.org', subject: 'Late', text: 'Too late.' }),
    ).rejects.toThrow('the mailer is closed');
    expect(smtp.mails.flatMap((mail) => mail.to)).not.toContain('late@example.org');
  });

  it('when it is closed without having sent, then closing ends quietly', () => {
    const mailer = createMailer('smtp://127.0.0.1:1', 'Blindspot <b@example.org>');
    expect(() => mailer.close()).not.toThrow();
  });
});
