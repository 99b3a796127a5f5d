import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type { RenderedEmail } from './email-context';

/**
 * A rendered email as nodemailer's message options (for MailComposer or a transport's sendMail).
 * The calendar entry goes in `icalEvent`, which nodemailer adds both as a text/calendar
 * alternative and as an attachment, so it is not attached a second time. Addresses are given as
 * objects, so nodemailer encodes a display name (RFC 2047) and no name can add a header.
 */
export function toMailOptions(
  email: RenderedEmail,
  envelope: {
    from: { name: string; address: string };
    to: { name: string; address: string };
    messageId?: string;
    date?: Date;
  },
): MailComposerOptions {
  return {
    from: envelope.from,
    to: envelope.to,
    subject: email.subject,
    ...(envelope.messageId ? { messageId: envelope.messageId } : {}),
    ...(envelope.date ? { date: envelope.date } : {}),
    text: email.text,
    html: email.html,
    attachments: email.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      ...(a.cid ? { cid: a.cid } : {}),
    })),
    ...(email.calendar
      ? {
          icalEvent: {
            filename: email.calendar.filename,
            method: email.calendar.method,
            content: email.calendar.content,
          },
        }
      : {}),
  };
}
