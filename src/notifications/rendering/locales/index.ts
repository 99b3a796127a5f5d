import type { Language } from '../../../common/validation/decorators';
import type { Messages } from '../messages';
import { en } from './en';
import { kk } from './kk';
import { ru } from './ru';

/** One catalog per language the service speaks: adding a language to LANGUAGES needs one here. */
export const CATALOGS: Record<Language, Messages> = { en, ru, kk };
