import type { Language } from '../../common/validation/decorators';
import type { AttendanceMode } from '../../events/event.entity';
import { EMAIL_KINDS, type EmailKind } from '../email-request';
import type { RenderedEmail } from './email-context';
import { calendarUid } from './render-email';
import { SAMPLE_PUBLIC_URL } from './sample-contexts';
import { contextFor, LANGUAGES, MEETING_URL, parseCalendar, renderSample } from './test-helpers';

/** Kinds that admit the person: QR code (in person) or join link (online), and a calendar entry. */
const ADMITTING: EmailKind[] = [
  'registration_confirmed',
  'waitlist_promoted',
  'attendance_mode_changed',
  'event_reminder',
  'event_updated',
];
const CANCELLING: EmailKind[] = ['registration_cancelled', 'event_cancelled'];

const MODES: AttendanceMode[] = ['in_person', 'online'];
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
    const email = await renderSample(context);

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
