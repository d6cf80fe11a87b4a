/**
 * Outgoing mail for invitation and password-reset links, over SMTP (nodemailer) when SMTP_URL
 * is set. Without it there is no mailer, and the API hands the link to the admin who asked for
 * it instead, to pass on themselves.
 */
import type { Transporter } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** @param smtpUrl smtp(s)://user:password@host:port, as nodemailer reads it. */
export function createMailer(smtpUrl: string, from: string): Mailer {
  // Loaded with the first mail (an invitation or a reset, now and then): nodemailer is about
  // 5 MB of heap that a process would otherwise carry from its start.
  let transport: Promise<Transporter> | undefined;
  let closed = false;
  const opened = () => {
    transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(smtpUrl),
    );
    return transport;
  };
  return {
    async send(mail) {
      if (closed) throw new Error('the mailer is closed');
      await (await opened()).sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
    },
    close() {
      closed = true;
      // A transport that never loaded has nothing to close; its failure was the sender's.
      transport?.then((open) => open.close()).catch(() => {});
    },
  };
}

export function invitationMail(to: string, url: string, expiresAt: Date): Mail {
  return {
    to,
    subject: 'You are invited to run Blindspot',
    text:
      `You have been invited to the Blindspot admin app.\n\n` +
      `Set your password here (the link works once, until ${expiresAt.toISOString()}):\n${url}\n\n` +
      `If you did not expect this, ignore this message.\n`,
  };
}

export function passwordResetMail(to: string, url: string, expiresAt: Date): Mail {
  return {
    to,
    subject: 'Reset your Blindspot password',
    text:
      `Someone asked to reset the password of your Blindspot admin account.\n\n` +
      `Choose a new one here (the link works once, until ${expiresAt.toISOString()}):\n${url}\n\n` +
      `If it was not you, ignore this message: your password stays as it is.\n`,
  };
}
