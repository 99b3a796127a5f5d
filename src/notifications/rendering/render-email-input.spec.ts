import { sampleContext, sampleDelegationContext } from './sample-contexts';
import { contextFor, LANGUAGES, parseCalendar, renderSample } from './test-helpers';

describe('renderEmail: what a registrant typed', () => {
  const EVIL_NAME = 'Eve\r\nBcc: x@evil.test';

  it.each(LANGUAGES)('is escaped in HTML and never breaks the subject (%s)', async (language) => {
    const base = contextFor('registration_confirmed', language, 'in_person');
    const email = await renderSample({
      ...base,
      event: { ...base.event, title: 'Dialogue\r\nBcc: x@evil.test <b>now</b>' },
      registration: {
        ...base.registration!,
        givenName: '<script>alert("x")</script>',
        familyName: EVIL_NAME,
        sessions: [{ ...base.registration!.sessions[0], title: '<img src=x onerror=alert(1)>' }],
      },
    });

    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.html).not.toContain('<img src=x');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(email.html).not.toContain('<b>now</b>');

    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(email.subject).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(email.subject).toContain('Dialogue Bcc: x@evil.test');
    // The name stays on one line in the plain text too: no line starts with "Bcc:".
    expect(email.text).not.toMatch(/^Bcc:/m);
    expect(email.text).toContain('Eve Bcc: x@evil.test');
    expect(email.calendar!.content).not.toMatch(/\r\nBcc:/);
    expect(parseCalendar(email.calendar!.content).summary).toBe(
      'Dialogue Bcc: x@evil.test <b>now</b>',
    );
  });

  it('a delegation name with line breaks gives a single-line subject', async () => {
    const base = sampleDelegationContext('ru');
    const email = await renderSample({
      ...base,
      delegation: { ...base.delegation!, name: EVIL_NAME, headFamilyName: '<script>' },
    });
    expect(email.subject).toBe(
      'Делегация «Eve Bcc: x@evil.test»: регистрация на мероприятие «Национальный диалог по вопросам наркополитики»',
    );
    expect(email.html).not.toContain('<script>');
  });

  it('keeps long and non-Latin names whole', async () => {
    const longName = 'Нұрсұлтанқызы-Әбдіғаппарова '.repeat(8).trim();
    const base = sampleDelegationContext('kk');
    const email = await renderSample({
      ...base,
      delegation: { ...base.delegation!, name: longName },
    });
    expect(email.subject).toContain(`«${longName}»`);
    expect(email.text).toContain(longName);
  });

  it('refuses a context without the registration or delegation its kind needs', async () => {
    await expect(
      renderSample({ ...sampleContext('en', 'registration_confirmed'), registration: undefined }),
    ).rejects.toThrow('needs context.registration');
    await expect(
      renderSample({ ...sampleDelegationContext('en'), delegation: undefined }),
    ).rejects.toThrow('needs context.delegation');
  });
});
