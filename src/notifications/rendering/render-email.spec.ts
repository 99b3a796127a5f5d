import type { Language } from '../../common/validation/decorators';
import type { AttendanceMode } from '../../events/event.entity';
import { EMAIL_KINDS, type EmailKind } from '../email-request';
import type { EmailContext, RenderedEmail } from './email-context';
import { calendarUid, renderEmail } from './render-email';
import { SAMPLE_PUBLIC_URL, sampleContext, sampleDelegationContext } from './sample-contexts';
import { decodeQr, parseCalendar } from './test-helpers';

const LANGUAGES: Language[] = ['en', 'ru', 'kk'];
const MODES: AttendanceMode[] = ['in_person', 'online'];
const NOW = new Date('2023-05-20T10:00:00Z');
/** The event's meeting URL: it must never reach an email, only the personal /j/ link does. */
const MEETING_URL = 'https://meet.example.org/j/123';

type Status = NonNullable<EmailContext['registration']>['status'];

const STATUS_OF_KIND: Partial<Record<EmailKind, Status>> = {
  registration_pending: 'pending',
  registration_waitlisted: 'waitlisted',
  registration_declined: 'declined',
  registration_cancelled: 'cancelled',
  event_cancelled: 'cancelled',
};

/** Kinds that admit the person: QR code (in person) or join link (online), and a calendar entry. */
const ADMITTING: EmailKind[] = [
  'registration_confirmed',
  'waitlist_promoted',
  'attendance_mode_changed',
  'event_reminder',
  'event_updated',
];
const CANCELLING: EmailKind[] = ['registration_cancelled', 'event_cancelled'];

/** A realistic context for each kind, with the facts the participants module records. */
function contextFor(kind: EmailKind, language: Language, mode: AttendanceMode): EmailContext {
  if (kind === 'delegation_summary') return sampleDelegationContext(language);
  const base = sampleContext(language, kind);
  const facts: Record<string, unknown> =
    kind === 'attendance_mode_changed'
      ? { from: mode === 'online' ? 'in_person' : 'online', to: mode, status: 'confirmed' }
      : kind === 'event_updated'
        ? // What an update might record; the meeting URL in it must not be copied into the email.
          { changes: ['startsAt', 'onlineJoinUrl'], onlineJoinUrl: MEETING_URL }
        : {};
  return {
    ...base,
    facts,
    icsSequence: 2,
    registration: {
      ...base.registration!,
      attendanceMode: mode,
      status: STATUS_OF_KIND[kind] ?? 'confirmed',
    },
  };
}

function render(context: EmailContext): Promise<RenderedEmail> {
  return renderEmail(context, { now: NOW });
}

/** Everything of an email a person could read or open, as one string. */
function everything(email: RenderedEmail): string {
  return [
    email.subject,
    email.text,
    email.html,
    email.calendar?.content ?? '',
    ...email.attachments.map((a) => a.content.toString('latin1')),
  ].join('\n');
}

/** The local date of the sample event (7 June 2023) as each language writes it. */
const LOCAL_DATE: Record<Language, RegExp> = {
  en: /7 June 2023/,
  ru: /7 июня 2023/,
  kk: /2023\s?ж\.\s7 маусым/,
};

/** A phrase a native reader would expect in the text of each kind, written here by hand. */
const PHRASES: Record<Language, Record<EmailKind, string>> = {
  en: {
    registration_confirmed: 'Your registration is confirmed',
    registration_pending: 'awaits approval',
    registration_waitlisted: 'You are on the waiting list',
    waitlist_promoted: 'your place is confirmed',
    registration_declined: 'was not approved',
    registration_cancelled: 'Your registration is cancelled',
    attendance_mode_changed: 'has changed from',
    delegation_summary: 'Thank you for registering the delegation',
    event_reminder: 'This is a reminder',
    event_updated: 'The date or time has changed',
    event_cancelled: 'The event is cancelled',
  },
  ru: {
    registration_confirmed: 'Ваша регистрация подтверждена',
    registration_pending: 'ожидает одобрения',
    registration_waitlisted: 'Вы в листе ожидания',
    waitlist_promoted: 'освободилось место',
    registration_declined: 'не одобрена',
    registration_cancelled: 'Ваша регистрация отменена',
    attendance_mode_changed: 'Формат Вашего участия',
    delegation_summary: 'Регистрация Вашей делегации',
    event_reminder: 'Напоминаем, что скоро начнётся',
    event_updated: 'Изменились дата или время',
    event_cancelled: 'Мероприятие отменено',
  },
  kk: {
    registration_confirmed: 'Тіркелуіңіз расталды',
    registration_pending: 'мақұлдауды күтуде',
    registration_waitlisted: 'Сіз күту тізіміндесіз',
    waitlist_promoted: 'орын босады',
    registration_declined: 'мақұлданбады',
    registration_cancelled: 'күші жойылды',
    attendance_mode_changed: 'қатысу форматыңыз өзгертілді',
    delegation_summary: 'Делегацияңыздың тіркелуі',
    event_reminder: 'еске саламыз',
    event_updated: 'Күні немесе уақыты өзгерді',
    event_cancelled: 'Іс-шара өткізілмейді',
  },
};

/** Words of the greeting and labels, and English words that must not leak into a translation. */
const GREETING: Record<Language, string> = {
  en: 'Dear ',
  ru: 'Здравствуйте, ',
  kk: 'Құрметті ',
};
const ENGLISH_ONLY = ['Dear ', 'Reference', 'Date and time', 'Manage your', 'Kind regards'];

describe('renderEmail: every kind in every language', () => {
  const cases = EMAIL_KINDS.flatMap((kind) =>
    LANGUAGES.flatMap((language) => MODES.map((mode) => ({ kind, language, mode }))),
  );

  it.each(cases)('$kind in $language, $mode', async ({ kind, language, mode }) => {
    const context = contextFor(kind, language, mode);
    const email = await render(context);

    // A subject on one line, and both parts.
    expect(email.subject.length).toBeGreaterThan(10);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text.length).toBeGreaterThan(200);
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
    expect(email.html).toContain(`<html lang="${language}"`);

    // In the person's language.
    expect(email.text).toContain(PHRASES[language][kind]);
    expect(email.html).toContain(PHRASES[language][kind]);
    expect(email.text).toContain(GREETING[language]);
    if (language !== 'en') {
      for (const word of ENGLISH_ONLY) expect(email.text).not.toContain(word);
    }
    if (language === 'kk') expect(email.text).toMatch(/[әғқңөұүһі]/);

    // The event's local date and time with the zone's name and offset.
    for (const part of [email.text, email.html]) {
      expect(part).toMatch(LOCAL_DATE[language]);
      expect(part).toMatch(/09:00–17:00/);
      expect(part).toContain('Asia/Almaty');
      expect(part).toContain('GMT+6');
    }

    // Never the meeting URL itself.
    expect(everything(email)).not.toContain(MEETING_URL);
    expect(everything(email)).not.toContain('meet.example.org');

    if (kind === 'delegation_summary') {
      const delegation = context.delegation!;
      const manage = `${SAMPLE_PUBLIC_URL}/d/${delegation.manageToken}`;
      for (const part of [email.text, email.html]) {
        expect(part).toContain(manage);
        for (const member of delegation.members) {
          expect(part).toContain(member.reference);
          expect(part).toContain(member.givenName);
          expect(part).toContain(member.familyName);
        }
      }
      expect(email.attachments).toEqual([]);
      expect(email.calendar).toBeUndefined();
      return;
    }

    const registration = context.registration!;
    const manage = `${SAMPLE_PUBLIC_URL}/r/${registration.manageToken}`;
    const join = `${SAMPLE_PUBLIC_URL}/j/${registration.joinToken}`;
    for (const part of [email.text, email.html]) {
      expect(part).toContain(registration.reference);
      expect(part).toContain(manage);
      expect(part).toContain(registration.givenName);
    }

    const admits = ADMITTING.includes(kind);
    const images = email.attachments.filter((a) => a.contentType === 'image/png');
    if (admits && mode === 'in_person') {
      expect(images).toHaveLength(2);
      expect(email.html).toContain('src="cid:');
      expect(email.html).toContain('Congress Centre, Hall A');
    } else {
      expect(images).toHaveLength(0);
      expect(email.html).not.toContain('cid:');
    }
    if (admits && mode === 'online') {
      expect(email.text).toContain(join);
      expect(email.html).toContain(`href="${join}"`);
    } else {
      expect(email.text).not.toContain(join);
      expect(email.html).not.toContain(join);
    }

    if (admits) {
      expect(email.calendar?.method).toBe('PUBLISH');
    } else if (CANCELLING.includes(kind)) {
      expect(email.calendar?.method).toBe('CANCEL');
    } else {
      expect(email.calendar).toBeUndefined();
    }
    if (email.calendar) {
      const entry = parseCalendar(email.calendar.content);
      expect(entry.uid).toBe(calendarUid(registration.id));
      expect(entry.sequence).toBe(2);
      expect(entry.start).toEqual(context.event.startsAt);
    }
  });
});

describe('renderEmail: confirmations', () => {
  it.each(LANGUAGES)(
    'in person (%s): a QR code holding exactly the check-in code, inline and attached',
    async (language) => {
      const context = contextFor('registration_confirmed', language, 'in_person');
      const email = await render(context);

      const images = email.attachments.filter((a) => a.contentType === 'image/png');
      expect(images).toHaveLength(2);
      const inline = images.find((a) => a.cid);
      const attached = images.find((a) => !a.cid);
      expect(inline).toBeDefined();
      expect(attached).toBeDefined();
      expect(email.html).toContain(`src="cid:${inline!.cid}"`);
      expect(attached!.filename).toBe(`checkin-${context.registration!.reference}.png`);
      for (const image of images) {
        expect(decodeQr(image.content)).toBe(context.registration!.checkinCode);
      }
      // The image has a text alternative for screen readers and blocked images.
      expect(email.html).toMatch(/<img [^>]*alt="[^"]*K7M2QX9D[^"]*"/);
    },
  );

  it.each(LANGUAGES)('online (%s): the personal join link and no QR code', async (language) => {
    const context = contextFor('registration_confirmed', language, 'online');
    const email = await render(context);
    const join = `${SAMPLE_PUBLIC_URL}/j/${context.registration!.joinToken}`;

    expect(email.text).toContain(join);
    expect(email.html).toContain(`href="${join}"`);
    expect(email.attachments).toEqual([]);
    expect(email.html).not.toContain('<img');
    // An online participant is not sent to the venue, nor to a session's room.
    expect(email.text).not.toContain('Congress Centre');
    expect(email.text).not.toContain('Hall A');
  });

  it.each(LANGUAGES)('the chosen sessions with their local times (%s)', async (language) => {
    const context = contextFor('registration_confirmed', language, 'in_person');
    const email = await render(context);
    for (const session of context.registration!.sessions) {
      expect(email.text).toContain(session.title);
      expect(email.html).toContain(session.title);
    }
    expect(email.text).toContain('09:00–10:30, Hall A');
    expect(email.text).toContain('11:00–12:30');
  });

  it('in person: the calendar entry has the stable UID, the SEQUENCE given, UTC times and the venue', async () => {
    const context = { ...contextFor('registration_confirmed', 'kk', 'in_person'), icsSequence: 0 };
    const email = await render(context);
    expect(email.calendar?.filename).toMatch(/\.ics$/);
    expect(email.calendar?.content).toContain('DTSTART:20230607T030000Z');
    expect(email.calendar?.content).toContain('DTEND:20230607T110000Z');

    const entry = parseCalendar(email.calendar!.content);
    expect(entry).toMatchObject({
      method: 'PUBLISH',
      uid: `${context.registration!.id}@convene`,
      sequence: 0,
      status: 'CONFIRMED',
      summary: context.event.title,
      location: 'Congress Centre, Hall A, 1 Dostyk Street, Astana',
      url: null,
    });
    expect(entry.start).toEqual(new Date('2023-06-07T03:00:00Z'));
    expect(entry.end).toEqual(new Date('2023-06-07T11:00:00Z'));
    expect(entry.description).toContain('K7M2QX9D');
  });

  it('online: the calendar entry carries the join link as URL and LOCATION', async () => {
    const context = { ...contextFor('waitlist_promoted', 'ru', 'online'), icsSequence: 4 };
    const email = await render(context);
    const join = `${SAMPLE_PUBLIC_URL}/j/${context.registration!.joinToken}`;
    const entry = parseCalendar(email.calendar!.content);
    expect(entry).toMatchObject({ method: 'PUBLISH', sequence: 4, url: join, location: join });
    expect(entry.uid).toBe(calendarUid(context.registration!.id));
  });

  it('a later update keeps the UID and carries the higher SEQUENCE', async () => {
    const first = await render({ ...contextFor('registration_confirmed', 'en', 'online') });
    const update = await render({
      ...contextFor('event_updated', 'en', 'online'),
      icsSequence: 7,
      event: {
        ...sampleContext('en').event,
        startsAt: new Date('2023-06-08T09:00:00+06:00'),
        endsAt: new Date('2023-06-08T17:00:00+06:00'),
      },
    });
    const a = parseCalendar(first.calendar!.content);
    const b = parseCalendar(update.calendar!.content);
    expect(b.uid).toBe(a.uid);
    expect(b.sequence).toBe(7);
    expect(b.start).toEqual(new Date('2023-06-08T03:00:00Z'));
    expect(update.text).toMatch(/Thursday, 8 June 2023, 09:00–17:00/);
  });

  it('a cancellation cancels the same calendar entry', async () => {
    const context = { ...contextFor('registration_cancelled', 'en', 'online'), icsSequence: 3 };
    const email = await render(context);
    const entry = parseCalendar(email.calendar!.content);
    expect(entry).toMatchObject({
      method: 'CANCEL',
      status: 'CANCELLED',
      uid: calendarUid(context.registration!.id),
      sequence: 3,
    });
    // The join link is not handed out again once cancelled.
    expect(email.calendar!.content).not.toContain('/j/');
  });

  it('a copy sent again says so; sessions dropped at confirmation are mentioned', async () => {
    const base = contextFor('registration_confirmed', 'en', 'in_person');
    const email = await render({
      ...base,
      facts: { resent: true, droppedSessionIds: ['b1c2'] },
    });
    expect(email.text).toContain('sent again on request');
    expect(email.text).toContain('already full');
    const plain = await render(base);
    expect(plain.text).not.toContain('sent again on request');
    expect(plain.text).not.toContain('already full');
  });

  it('shows the local time of another zone with its own name and offset', async () => {
    const base = contextFor('registration_confirmed', 'en', 'online');
    const email = await render({
      ...base,
      event: {
        ...base.event,
        timezone: 'Europe/Brussels',
        startsAt: new Date('2023-06-07T07:00:00Z'),
        endsAt: new Date('2023-06-07T15:00:00Z'),
      },
    });
    expect(email.text).toContain('Wednesday, 7 June 2023, 09:00–17:00');
    expect(email.text).toContain('Europe/Brussels, GMT+2');
  });
});

describe('renderEmail: other kinds say what changed', () => {
  it('attendance_mode_changed names the old and the new mode, and the waiting list when full', async () => {
    const base = contextFor('attendance_mode_changed', 'ru', 'online');
    const email = await render({
      ...base,
      facts: { from: 'online', to: 'in_person', status: 'waitlisted' },
      registration: { ...base.registration!, attendanceMode: 'in_person', status: 'waitlisted' },
    });
    expect(email.subject).toContain('теперь очно');
    expect(email.text).toContain('было онлайн, стало очно');
    expect(email.text).toContain('лист ожидания на очное участие');
    expect(email.attachments).toEqual([]);
    expect(email.calendar).toBeUndefined();
  });

  it('the delegation summary lists each member with mode, status and reference', async () => {
    const email = await render(sampleDelegationContext('kk'));
    expect(email.subject).toContain('делегациясы');
    expect(email.text).toContain('Айгерім Нұрланқызы | бетпе-бет | расталды | K7M2QX9D');
    expect(email.text).toContain('Ерлан Сәрсенбаев | онлайн | расталды | P3R8TW4F');
    expect(email.text).toContain('Maria Lopez García | бетпе-бет | күту тізімінде | H9C6VN2B');
    expect(email.html).toMatch(/<th scope="col"[^>]*>Аты-жөні<\/th>/);
    expect(email.text).toContain(`${SAMPLE_PUBLIC_URL}/d/dL2k8Jh4Gf6Ds0Aq9Wx3Ez`);
  });

  it('the delegation summary tells why it was sent', async () => {
    const base = sampleDelegationContext('en');
    const added = await render({ ...base, facts: { reason: 'member_added' } });
    const cancelled = await render({ ...base, facts: { reason: 'member_cancelled' } });
    expect(added.text).toContain('A member has been added');
    expect(cancelled.text).toContain('has been cancelled');
  });

  it('a reminder for an online participant carries the join link and the date in the subject', async () => {
    const context = contextFor('event_reminder', 'en', 'online');
    const email = await render(context);
    expect(email.subject).toBe('Reminder: National dialogue on drug policy, 7 June 2023');
    expect(email.text).toContain(`${SAMPLE_PUBLIC_URL}/j/${context.registration!.joinToken}`);
  });

  it('an update without a list of changes asks to check the details', async () => {
    const base = contextFor('event_updated', 'en', 'in_person');
    const email = await render({ ...base, facts: {} });
    expect(email.text).toContain('Please check the current details below.');
  });

  it('a declined or cancelled registration is not offered a mode switch', async () => {
    const email = await render(contextFor('registration_declined', 'en', 'in_person'));
    expect(email.text).toContain('Through this private link you can see your registration.');
    expect(email.text).not.toContain('switch between');
  });
});

describe('renderEmail: what a registrant typed', () => {
  const EVIL_NAME = 'Eve\r\nBcc: x@evil.test';

  it.each(LANGUAGES)('is escaped in HTML and never breaks the subject (%s)', async (language) => {
    const base = contextFor('registration_confirmed', language, 'in_person');
    const email = await render({
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
    const email = await render({
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
    const email = await render({ ...base, delegation: { ...base.delegation!, name: longName } });
    expect(email.subject).toContain(`«${longName}»`);
    expect(email.text).toContain(longName);
  });

  it('refuses a context without the registration or delegation its kind needs', async () => {
    await expect(
      render({ ...sampleContext('en', 'registration_confirmed'), registration: undefined }),
    ).rejects.toThrow('needs context.registration');
    await expect(
      render({ ...sampleDelegationContext('en'), delegation: undefined }),
    ).rejects.toThrow('needs context.delegation');
  });
});
