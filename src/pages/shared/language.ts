import { LANGUAGES, type Language } from '../../common/validation/decorators';

export const LANGUAGE_COOKIE = 'cvn_lang';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/**
 * The languages an Accept-Language header asks for that we speak, most wanted first
 * ("kk-KZ,ru;q=0.9,en;q=0.5" → kk, ru, en). A q of 0 means "not this one".
 */
export function languagesFromHeader(header: string | undefined): Language[] {
  const wanted: { language: Language; q: number; index: number }[] = [];
  (header ?? '').split(',').forEach((part, index) => {
    const [tag, ...params] = part.trim().split(';');
    const primary = tag.trim().split('-')[0].toLowerCase();
    if (!isLanguage(primary)) return;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) return;
    wanted.push({ language: primary, q, index });
  });
  wanted.sort((a, b) => b.q - a.q || a.index - b.index);
  return [...new Set(wanted.map((w) => w.language))];
}

export interface LanguageChoice {
  language: Language;
  /** The visitor picked it with ?lang=: remember it in a cookie. */
  remember: boolean;
}

/**
 * The page's language: the one picked with ?lang= (then remembered), else the remembered one,
 * else the browser's (Accept-Language), else the event's first language, else English.
 */
export function chooseLanguage(input: {
  query: unknown;
  cookie: string | undefined;
  acceptLanguage: string | undefined;
  fallback?: readonly Language[];
}): LanguageChoice {
  if (isLanguage(input.query)) return { language: input.query, remember: true };
  if (isLanguage(input.cookie)) return { language: input.cookie, remember: false };
  const fromHeader = languagesFromHeader(input.acceptLanguage)[0];
  if (fromHeader) return { language: fromHeader, remember: false };
  return { language: input.fallback?.[0] ?? 'en', remember: false };
}
