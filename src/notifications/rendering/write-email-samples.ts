import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { LANGUAGES } from '../../common/validation/decorators';
import { toMailOptions } from './mail-options';
import { renderEmail } from './render-email';
import { sampleContext } from './sample-contexts';
import { fullName } from './text';

/**
 * `npm run emails:samples`: writes one sample confirmation per language to docs/emails as .eml
 * files (open them in any mail client). Fixed dates and MIME boundaries keep the files identical
 * from run to run, so a change in them is a change in the emails.
 */
async function main(): Promise<void> {
  const dir = join(process.cwd(), 'docs', 'emails');
  await mkdir(dir, { recursive: true });
  const sentAt = new Date('2023-05-20T10:00:00Z');
  for (const language of LANGUAGES) {
    const context = sampleContext(language, 'registration_confirmed');
    const registration = context.registration!;
    const email = await renderEmail(context, { now: sentAt });
    const message = new MailComposer({
      ...toMailOptions(email, {
        from: { name: 'Convene', address: 'no-reply@events.example.org' },
        to: {
          name: fullName(registration.givenName, registration.familyName),
          address: context.to,
        },
        messageId: `<${context.emailId}@events.example.org>`,
        date: sentAt,
      }),
      baseBoundary: `convene-sample-${language}`,
    });
    const file = join(dir, `registration-confirmed.${language}.eml`);
    await writeFile(file, await message.compile().build());
    process.stdout.write(`${file}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
