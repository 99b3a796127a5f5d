import type { Language } from '../../../common/validation/decorators';
import type { ConsoleMessages } from '../console-messages';
import { en } from './en';
import { kk } from './kk';
import { ru } from './ru';

/** One console catalog per language the service speaks. */
export const CONSOLE_CATALOGS: Record<Language, ConsoleMessages> = { en, ru, kk };
