import type { PageMessages } from '../page-messages';

/** Русский, официально-деловой стиль, обращение на «Вы». Только текст: шаблоны экранируют всё. */
export const ru: PageMessages = {
  locale: 'ru-RU',
  common: {
    siteName: 'Convene',
    skipToContent: 'Перейти к содержанию',
    languageNav: 'Язык',
    zone: ({ name, offset }) => `${name}, ${offset}`,
    footer: 'Регистрация и учёт участия: Convene.',
  },
  event: {
    when: 'Дата и время',
    venue: 'Место проведения',
    online: 'Онлайн',
    onlineText:
      'Зарегистрированные онлайн-участники получат персональную ссылку для подключения по почте.',
    agenda: 'Программа',
    room: ({ room }) => `Зал: ${room}`,
    speakers: 'Спикеры',
    seatsLeft: 'Свободные места',
    seatsOf: ({ mode, remaining }) => `${mode}: осталось мест — ${remaining}`,
    full: ({ mode }) => `${mode}: мест нет`,
    cancelled: 'Мероприятие отменено.',
    modes: { in_person: 'Очно', online: 'Онлайн' },
  },
  errors: {
    notFoundTitle: 'Страница не найдена',
    notFoundText:
      'По этому адресу ничего нет. Если Вы перешли по ссылке из письма, проверьте, что она скопирована полностью.',
    forbiddenTitle: 'Пожалуйста, повторите',
    csrfText:
      'Срок действия формы истёк, или она отправлена не с этого сайта. Вернитесь назад, обновите страницу и отправьте форму ещё раз.',
    conflictTitle: 'Сейчас это невозможно',
    serverErrorTitle: 'Что-то пошло не так',
    serverErrorText:
      'На нашей стороне произошла ошибка. Пожалуйста, повторите попытку немного позже.',
    tooManyRequestsTitle: 'Слишком много запросов',
    tooManyRequestsText: 'С Вашего адреса пришло слишком много запросов. Подождите минуту.',
    backHome: 'Вернуться',
    summaryTitle: 'Пожалуйста, исправьте следующее',
  },
};
