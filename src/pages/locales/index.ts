import type { Language } from '../../common/validation/decorators';
import type { PageMessages } from '../page-messages';
import { en } from './en';
import { kk } from './kk';
import { ru } from './ru';

/** One catalog per language the service speaks: adding a language to LANGUAGES needs one here. */
export const PAGE_CATALOGS: Record<Language, PageMessages> = { en, ru, kk };

/** Each language's name in itself, for the language switcher and the language field. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  ru: 'Русский',
  kk: 'Қазақша',
};
