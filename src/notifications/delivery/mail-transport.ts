import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type { AppConfig } from '../../config/app-config';

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** Where mail goes: an SMTP server, or .eml files when no SMTP_URL is set. */
export interface MailTransport {
  readonly description: string;
  send(message: MailComposerOptions): Promise<{ response: string }>;
  close(): void;
}

const withoutPassword = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/** Pooled SMTP connections, reused across emails; the pool size bounds parallel sends. */
export function smtpTransport(url: string, maxConnections: number): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections,
    // Well inside the worker's 120 s claim: a hung server must fail the attempt before another
    // worker may take the email over, or both would send it.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
  return {
    description: `SMTP ${withoutPassword(url)}`,
    async send(message) {
      // Composed in memory first, then handed over whole: streamed straight to the socket, the
      // MIME tree's many small chunks each cost a write system call (~10 % of the service's CPU
      // in an email burst); as one buffer the message leaves in a few. Same bytes, same
      // envelope (taken from the headers, as nodemailer does).
      // One random boundary base per message: without it every MIME part draws its own 8
      // random bytes (a system call each), and only the root's is used.
      const baseBoundary = randomUUID().replaceAll('-', '');
      const composed = new MailComposer({ baseBoundary, ...message }).compile();
      const envelope = composed.getEnvelope();
      const raw = await composed.build();
      const info = (await transporter.sendMail({ raw, envelope })) as { response?: string };
      return { response: info.response ?? '' };
    },
    close: () => transporter.close(),
  };
}

/**
 * The same pipeline without a mail server: each message is composed by nodemailer exactly as
 * it would be sent, then written as an .eml file that any mail program opens.
 */
export function fileTransport(directory: string): MailTransport {
  const transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  return {
    description: `.eml files in ${directory}`,
    async send(message) {
      const info = (await transporter.sendMail(message)) as { message: Buffer };
      await mkdir(directory, { recursive: true });
      const id = (message.messageId ?? '').replace(/[^A-Za-z0-9.-]/g, '_');
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`;
      await writeFile(join(directory, name), info.message);
      return { response: `written ${name}` };
    },
    close: () => transporter.close(),
  };
}

export function createMailTransport(config: AppConfig): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl, config.mailWorkerConcurrency);
  const directory = join(config.dataDir, 'mail');
  new Logger('Mail').log(`SMTP_URL is not set: emails are written as .eml files to ${directory}`);
  return fileTransport(directory);
}
