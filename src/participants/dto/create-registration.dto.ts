import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  IsOmittable,
  LANGUAGES,
  type Language,
  IsSingleLine,
} from '../../common/validation/decorators';
import { ATTENDANCE_MODES, type AttendanceMode } from '../../events/event.entity';
import { STAKEHOLDER_TYPES, type StakeholderType } from '../registration.entity';

/**
 * Letters of any script as typed, but no control characters and no line or paragraph separators
 * (U+2028, U+2029): line breaks in a name are never meant.
 */
const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

export class PersonDto {
  @ApiProperty({ example: 'a.nurlanovna@example.kz' })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Айгерім' })
  @IsString()
  @Length(1, 200)
  @IsSingleLine()
  givenName: string;

  @ApiProperty({ example: 'Нұрланқызы' })
  @IsString()
  @Length(1, 200)
  @IsSingleLine()
  familyName: string;

  @ApiPropertyOptional({ example: 'Chief expert' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @IsSingleLine()
  position?: string | null;
}

export class ConsentDto {
  @ApiProperty({ description: 'Must be true: the data is needed to register.' })
  @Equals(true, { message: 'must be true: registration needs your consent to process the data' })
  dataProcessing: boolean;

  @ApiProperty({ description: 'May the person appear in the published list of participants?' })
  @IsBoolean()
  listOfParticipants: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOmittable()
  @IsBoolean()
  photography?: boolean;
}

export class CreateRegistrationDto extends PersonDto {
  @ApiProperty({ example: 'Ministry of Health' })
  @IsString()
  @Length(1, 300)
  @IsSingleLine()
  organisation: string;

  @ApiProperty({ example: 'KZ', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'must be an ISO 3166-1 alpha-2 country code such as KZ' })
  country: string;

  @ApiProperty({ enum: STAKEHOLDER_TYPES })
  @IsIn(STAKEHOLDER_TYPES)
  stakeholderType: StakeholderType;

  @ApiProperty({ enum: ATTENDANCE_MODES })
  @IsIn(ATTENDANCE_MODES)
  attendanceMode: AttendanceMode;

  @ApiProperty({ enum: LANGUAGES, description: 'One of the event languages; emails use it.' })
  @IsIn(LANGUAGES)
  language: Language;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each must be a session id' })
  sessionIds?: string[];

  @ApiProperty({ type: ConsentDto })
  // ValidateNested skips a missing object: without IsDefined, no consent at all would pass.
  @IsDefined({ message: 'is required: registration needs consent to process the data' })
  @ValidateNested()
  @Type(() => ConsentDto)
  consent: ConsentDto;
}

export class ChangeAttendanceModeDto {
  @ApiProperty({ enum: ATTENDANCE_MODES })
  @IsIn(ATTENDANCE_MODES)
  attendanceMode: AttendanceMode;
}
