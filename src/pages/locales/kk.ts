import type { PageMessages } from '../page-messages';

/** Қазақ тілі (кирилл әліпбиі), ресми стиль, «Сіз» деп жүгіну. Тек мәтін: үлгілер бәрін экрандайды. */
export const kk: PageMessages = {
  locale: 'kk-KZ',
  common: {
    siteName: 'Convene',
    skipToContent: 'Негізгі мазмұнға өту',
    languageNav: 'Тіл',
    zone: ({ name, offset }) => `${name}, ${offset}`,
    footer: 'Тіркеу және қатысуды есепке алу: Convene.',
  },
  event: {
    when: 'Күні мен уақыты',
    venue: 'Өтетін орны',
    online: 'Онлайн',
    onlineText: 'Онлайн тіркелген қатысушылар қосылуға арналған жеке сілтемені хат арқылы алады.',
    agenda: 'Бағдарлама',
    room: ({ room }) => `Зал: ${room}`,
    speakers: 'Спикерлер',
    seatsLeft: 'Бос орындар',
    seatsOf: ({ mode, remaining }) => `${mode}: ${remaining} орын қалды`,
    full: ({ mode }) => `${mode}: орын жоқ`,
    cancelled: 'Іс-шара тоқтатылды.',
    modes: { in_person: 'Келіп қатысу', online: 'Онлайн' },
  },
  errors: {
    notFoundTitle: 'Бет табылмады',
    notFoundText:
      'Бұл мекенжайда ештеңе жоқ. Хаттағы сілтеме арқылы өтсеңіз, оның толық көшірілгенін тексеріңіз.',
    forbiddenTitle: 'Қайталап көріңіз',
    csrfText:
      'Форманың мерзімі өтті немесе ол осы сайттан жіберілмеген. Артқа қайтып, бетті жаңартып, форманы қайта жіберіңіз.',
    conflictTitle: 'Мұны қазір істеу мүмкін емес',
    serverErrorTitle: 'Бірдеңе дұрыс болмады',
    serverErrorText: 'Біз тарапта қате орын алды. Біраздан кейін қайталап көріңіз.',
    tooManyRequestsTitle: 'Сұраулар тым көп',
    tooManyRequestsText: 'Сіздің мекенжайыңыздан сұраулар тым көп келді. Бір минут күтіңіз.',
    backHome: 'Қайту',
    summaryTitle: 'Мына жолдарды түзетіңіз',
  },
};
