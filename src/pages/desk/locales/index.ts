import type { Language } from '../../../common/validation/decorators';
import type { DeskMessages } from '../desk-messages';
import { en } from './en';
import { kk } from './kk';
import { ru } from './ru';

/** One desk catalog per language the service speaks. */
export const DESK_CATALOGS: Record<Language, DeskMessages> = { en, ru, kk };
