import { chooseLanguage, languagesFromHeader } from './language';

describe('page language', () => {
  it('reads Accept-Language by q, keeping only languages we speak', () => {
    expect(languagesFromHeader('de-DE,kk-KZ;q=0.8,ru;q=0.9,en;q=0.1')).toEqual(['ru', 'kk', 'en']);
    expect(languagesFromHeader('en;q=0, ru')).toEqual(['ru']);
    expect(languagesFromHeader(undefined)).toEqual([]);
    expect(languagesFromHeader('*')).toEqual([]);
  });

  it('prefers ?lang=, then the cookie, then the browser, then the event', () => {
    const base = { acceptLanguage: 'ru', fallback: ['kk'] as const };
    expect(chooseLanguage({ ...base, query: 'en', cookie: 'kk' })).toEqual({
      language: 'en',
      remember: true,
    });
    expect(chooseLanguage({ ...base, query: 'xx', cookie: 'kk' })).toEqual({
      language: 'kk',
      remember: false,
    });
    expect(chooseLanguage({ ...base, query: undefined, cookie: undefined }).language).toBe('ru');
    expect(
      chooseLanguage({ query: undefined, cookie: 'de', acceptLanguage: 'fr', fallback: ['kk'] })
        .language,
    ).toBe('kk');
    expect(chooseLanguage({ query: [], cookie: undefined, acceptLanguage: '' }).language).toBe(
      'en',
    );
  });
});
