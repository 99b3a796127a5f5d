import type { Language } from '../../common/validation/decorators';

export type JoinRefusal =
  | 'unknown_link'
  | 'unknown_session'
  | 'event_cancelled'
  | 'cancelled'
  | 'declined'
  | 'pending'
  | 'waitlisted'
  | 'in_person'
  | 'no_meeting_yet';

interface PageWords {
  title: string;
  messages: Record<JoinRefusal, string>;
}

const WORDS: Record<Language, PageWords> = {
  en: {
    title: 'Online participation',
    messages: {
      unknown_link:
        'This join link is not valid. Please use the link from your confirmation email.',
      unknown_session: 'This link names a session that does not exist.',
      event_cancelled: 'This event has been cancelled.',
      cancelled: 'Your registration has been cancelled, so this link no longer opens the meeting.',
      declined: 'Your registration was declined, so this link does not open the meeting.',
      pending:
        'Your registration is waiting for approval. You will get an email once it is confirmed.',
      waitlisted: 'You are on the waiting list. You will get an email if a place becomes free.',
      in_person:
        'You are registered to attend in person. Please bring the QR code from your confirmation.',
      no_meeting_yet: 'The meeting link is not ready yet. Please try again closer to the start.',
    },
  },
  ru: {
    title: 'Онлайн-участие',
    messages: {
      unknown_link:
        'Эта ссылка недействительна. Пожалуйста, используйте ссылку из письма с подтверждением.',
      unknown_session: 'В ссылке указана несуществующая сессия.',
      event_cancelled: 'Мероприятие отменено.',
      cancelled: 'Ваша регистрация отменена, поэтому ссылка больше не открывает встречу.',
      declined: 'Ваша регистрация отклонена, поэтому ссылка не открывает встречу.',
      pending:
        'Ваша регистрация ожидает одобрения. Мы сообщим по почте, когда она будет подтверждена.',
      waitlisted: 'Вы в листе ожидания. Мы сообщим по почте, если освободится место.',
      in_person: 'Вы зарегистрированы для очного участия. Возьмите с собой QR-код из письма.',
      no_meeting_yet: 'Ссылка на встречу ещё не готова. Попробуйте ближе к началу.',
    },
  },
  kk: {
    title: 'Онлайн қатысу',
    messages: {
      unknown_link: 'Бұл сілтеме жарамсыз. Растау хатындағы сілтемені пайдаланыңыз.',
      unknown_session: 'Сілтемеде жоқ сессия көрсетілген.',
      event_cancelled: 'Іс-шара тоқтатылды.',
      cancelled: 'Тіркеуіңіз тоқтатылды, сондықтан сілтеме кездесуді ашпайды.',
      declined: 'Тіркеуіңіз қабылданбады, сондықтан сілтеме кездесуді ашпайды.',
      pending: 'Тіркеуіңіз мақұлдауды күтуде. Расталғанда хат аласыз.',
      waitlisted: 'Сіз күту тізіміндесіз. Орын босаса, хат аласыз.',
      in_person:
        'Сіз іс-шараға келіп қатысуға тіркелгенсіз. Растау хатындағы QR-кодты алып келіңіз.',
      no_meeting_yet: 'Кездесу сілтемесі әлі дайын емес. Басталуына жақын қайталап көріңіз.',
    },
  },
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The first of en/ru/kk an Accept-Language header asks for, for visitors we do not know. */
export function languageFromHeader(header: string | undefined): Language {
  for (const part of (header ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'en' || tag === 'ru' || tag === 'kk') return tag;
  }
  return 'en';
}

/**
 * A small self-contained page saying why the link does not open the meeting. It never holds
 * the meeting URL; the event title is the only text from the database, and it is escaped.
 */
export function joinRefusalPage(
  refusal: JoinRefusal,
  language: Language,
  eventTitle: string | null,
): string {
  const words = WORDS[language];
  const heading = eventTitle ? escapeHtml(eventTitle) : words.title;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${heading}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>
</head>
<body>
<main>
<h1>${heading}</h1>
<p>${escapeHtml(words.messages[refusal])}</p>
</main>
</body>
</html>
`;
}
