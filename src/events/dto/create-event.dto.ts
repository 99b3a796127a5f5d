import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  IsIanaTimezone,
  IsSingleLine,
  IsOmittable,
  IsLanguageList,
  IsSlug,
  LANGUAGES,
  type Language,
} from '../../common/validation/decorators';
import { IsDateTimeWithOffset } from '../../common/validation/date-time';
import { EVENT_FORMATS, type EventFormat } from '../event.entity';

const MAX_CAPACITY = 1_000_000;

export class VenueDto {
  @ApiProperty({ example: 'Palace of Independence' })
  @IsString()
  @Length(1, 300)
  @IsSingleLine()
  name: string;

  @ApiPropertyOptional({ example: 'Tauelsizdik Ave 52, Astana' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;
}

export class CapacityDto {
  @ApiPropertyOptional({ minimum: 0, example: 80, description: 'Seats in the room.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  inPerson?: number | null;

  @ApiPropertyOptional({ minimum: 0, example: 300, description: 'Places in the online meeting.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CAPACITY)
  online?: number | null;
}

export class RegistrationSettingsDto {
  @ApiPropertyOptional({ example: '2026-05-01T00:00:00+05:00' })
  @IsOptional()
  @IsDateTimeWithOffset()
  opensAt?: string | null;

  @ApiPropertyOptional({ example: '2026-06-05T18:00:00+05:00' })
  @IsOptional()
  @IsDateTimeWithOffset()
  closesAt?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  requiresApproval?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Keep a waitlist per mode when full.' })
  @IsOmittable()
  @IsBoolean()
  waitlist?: boolean;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 500 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(500)
  maxDelegationSize?: number;
}

export class CreateEventDto {
  @ApiProperty({ example: 'drug-policy-dialogue-2026', minLength: 3, maxLength: 100 })
  @IsString()
  @Length(3, 100)
  @IsSlug()
  slug: string;

  @ApiProperty({ example: 'National dialogue on drug policy' })
  @IsString()
  @Length(1, 300)
  @IsSingleLine()
  title: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiProperty({ example: 'Asia/Almaty', description: 'IANA time zone of the venue.' })
  @IsIanaTimezone()
  timezone: string;

  @ApiProperty({ example: '2026-06-07T09:00:00+05:00' })
  @IsDateTimeWithOffset()
  startsAt: string;

  @ApiProperty({ example: '2026-06-07T17:00:00+05:00' })
  @IsDateTimeWithOffset()
  endsAt: string;

  @ApiProperty({ enum: EVENT_FORMATS })
  @IsIn(EVENT_FORMATS)
  format: EventFormat;

  @ApiPropertyOptional({ type: VenueDto, description: 'Required unless the event is online.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VenueDto)
  venue?: VenueDto | null;

  @ApiPropertyOptional({
    example: 'https://meet.example.org/j/123',
    description: 'Never shown publicly.',
  })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2000)
  onlineJoinUrl?: string | null;

  @ApiProperty({ type: CapacityDto, description: 'One capacity for each mode the format has.' })
  @ValidateNested()
  @Type(() => CapacityDto)
  capacity: CapacityDto;

  @ApiPropertyOptional({ type: RegistrationSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RegistrationSettingsDto)
  registration?: RegistrationSettingsDto;

  @ApiPropertyOptional({ enum: LANGUAGES, isArray: true, default: ['en'] })
  @IsOmittable()
  @IsLanguageList()
  languages?: Language[];

  @ApiPropertyOptional({ default: 15, minimum: 0, maximum: 1440 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1440)
  onlineAttendanceMinMinutes?: number;
}
