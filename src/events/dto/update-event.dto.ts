import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateEventDto } from './create-event.dto';

/**
 * Any field of an event but its slug (links in sent emails use it). Nested objects merge into
 * the current values; null clears an optional field (for example when the format changes).
 */
export class UpdateEventDto extends PartialType(OmitType(CreateEventDto, ['slug'] as const), {
  // Required fields may be left out of a PATCH, but null would clear them: refuse it.
  skipNullProperties: false,
}) {}
