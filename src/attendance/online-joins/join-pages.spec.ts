import { joinRefusalPage, languageFromHeader } from './join-pages';

describe('join pages', () => {
  it('escapes the event title and speaks the language asked for', () => {
    const page = joinRefusalPage('cancelled', 'kk', '<b>"Dialogue"</b> & co');
    expect(page).toContain('&lt;b&gt;&quot;Dialogue&quot;&lt;/b&gt; &amp; co');
    expect(page).not.toContain('<b>');
    expect(page).toContain('<html lang="kk">');
    expect(page).toContain('Тіркеуіңіз тоқтатылды');
  });

  it('takes the first supported language of Accept-Language, else English', () => {
    expect(languageFromHeader('de-DE, kk;q=0.8, ru;q=0.5')).toBe('kk');
    expect(languageFromHeader('ru-RU')).toBe('ru');
    expect(languageFromHeader('fr')).toBe('en');
    expect(languageFromHeader(undefined)).toBe('en');
  });
});
