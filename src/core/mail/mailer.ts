/**
 * Outgoing mail for invitation and password-reset links, over SMTP (nodemailer) when SMTP_URL
 * is set. Without it there is no mailer, and the API hands the link to the admin who asked for
 * it instead, to pass on themselves.
 */
import nodemailer from 'nodemailer';

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
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close() {
      transport.close();
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
