import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailContext } from './email-context';
import { toMailOptions } from './mail-options';
import { renderEmail } from './render-email';
import { sampleContext, sampleDelegationContext } from './sample-contexts';
import { fullName } from './text';

/** Builds the MIME message as the worker will, and splits off its top-level header block. */
async function compose(
  context: EmailContext,
  toName: string,
): Promise<{ head: string; raw: string }> {
  const email = await renderEmail(context, { now: new Date('2023-05-20T10:00:00Z') });
  const raw = (
    await new MailComposer(
      toMailOptions(email, {
        from: { name: 'Convene', address: 'no-reply@events.example.org' },
        to: { name: toName, address: context.to },
        messageId: `<${context.emailId}@events.example.org>`,
      }),
    )
      .compile()
      .build()
  ).toString('utf8');
  return { head: raw.slice(0, raw.indexOf('\r\n\r\n')), raw };
}

/** Decodes RFC 2047 encoded words (B and Q) of an unfolded header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_all, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('latin1')
        : data
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
              String.fromCharCode(parseInt(hex, 16)),
            ),
    )
    .replace(/[\x80-\xff]+/g, (bytes) => Buffer.from(bytes, 'latin1').toString('utf8'));
}

function header(head: string, name: string): string[] {
  return head
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(name.length + 1).trim());
}

describe('a rendered email as a MIME message (nodemailer MailComposer)', () => {
  it('holds both parts, the inline and the attached QR code and the calendar entry', async () => {
    const context = sampleContext('kk');
    const { head, raw } = await compose(context, 'Айгерім Нұрланқызы');
    expect(head).toMatch(/Content-Type: multipart\/mixed/);
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(raw).toContain('Content-Type: text/html; charset=utf-8');
    expect(raw).toContain('Content-Type: multipart/related');
    expect(raw).toContain('Content-ID: <checkin-qr@convene>');
    expect(raw).toMatch(/Content-Disposition: attachment; filename=checkin-K7M2QX9D\.png/);
    expect(raw).toContain('Content-Type: text/calendar; charset=utf-8; method=PUBLISH');
    expect(raw).toMatch(/filename=drug-policy-dialogue-2023\.ics/);
    // The calendar entry is there once as an alternative and once as the file nodemailer adds.
    expect(raw.match(/Content-Type: (text\/calendar|application\/ics)/g)).toHaveLength(2);
  });

  it('encodes a non-Latin subject and name (RFC 2047) and decodes back to them', async () => {
    const context = sampleDelegationContext('kk');
    const longName = 'Нұрсұлтанқызы-Әбдіғаппарова '.repeat(6).trim();
    const { head } = await compose(
      { ...context, delegation: { ...context.delegation!, name: longName } },
      longName,
    );
    for (const line of head.split('\r\n')) {
      expect(line).toMatch(/^[\x20-\x7e\t]*$/);
      expect(line.length).toBeLessThanOrEqual(998);
    }
    const [subject] = header(head, 'Subject');
    expect(decodeWords(subject)).toBe(
      `«${longName}» делегациясы: «Есірткі саясаты жөніндегі ұлттық диалог» іс-шарасына тіркелу`,
    );
    expect(decodeWords(header(head, 'To')[0])).toContain(longName);
  });

  it('gives a typed name no way to add a header or a recipient', async () => {
    const base = sampleContext('en');
    const evil = 'Eve\r\nBcc: x@evil.test';
    const context: EmailContext = {
      ...base,
      event: { ...base.event, title: `Dialogue\r\nBcc: x@evil.test` },
      registration: { ...base.registration!, givenName: evil, familyName: '<script>' },
    };
    const { head } = await compose(context, fullName(evil, '<script>'));
    expect(header(head, 'Bcc')).toEqual([]);
    expect(header(head, 'Subject')).toHaveLength(1);
    expect(header(head, 'To')).toHaveLength(1);
    expect(decodeWords(header(head, 'Subject')[0])).toBe(
      'Registration confirmed: Dialogue Bcc: x@evil.test (K7M2QX9D)',
    );
    expect(head).not.toMatch(/^Bcc:/im);
  });
});
