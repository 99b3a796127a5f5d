import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { LANGUAGES, type Language, IsSingleLine } from '../../common/validation/decorators';
import { ATTENDANCE_MODES, type AttendanceMode } from '../../events/event.entity';
import { STAKEHOLDER_TYPES, type StakeholderType } from '../registration.entity';
import { ConsentDto, PersonDto } from './create-registration.dto';

/** The most members one request may list: the highest maxDelegationSize an event may set. */
export const MAX_DELEGATION_MEMBERS = 500;

const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
// ValidateNested alone lets a missing object through; IsObject makes it required.
const mustBeObject = { message: 'must be an object' };

export class DelegationHeadDto extends PersonDto {
  @ApiProperty({ description: 'Whether the head attends (and so gets a registration).' })
  @IsBoolean()
  attends: boolean;

  @ApiPropertyOptional({ enum: ATTENDANCE_MODES, description: 'Required when the head attends.' })
  @IsOptional()
  @IsIn(ATTENDANCE_MODES)
  attendanceMode?: AttendanceMode | null;
}

export class DelegationMemberDto extends PersonDto {
  @ApiProperty({ enum: ATTENDANCE_MODES })
  @IsIn(ATTENDANCE_MODES)
  attendanceMode: AttendanceMode;
}

/** The head adds one member later; the head confirms consent for that person too. */
export class AddDelegationMemberDto extends DelegationMemberDto {
  @ApiProperty({ type: ConsentDto })
  @IsObject(mustBeObject)
  @ValidateNested()
  @Type(() => ConsentDto)
  consent: ConsentDto;
}

/**
 * A whole delegation in one request. It is validated in the service, not by the global pipe,
 * so that field errors and the rules that need the event (modes, languages, people already
 * registered, the size limit) are answered together in one 400.
 */
export class CreateDelegationDto {
  @ApiProperty({ example: 'Delegation of the Ministry of Health' })
  @IsSingleLine()
  @Length(1, 300)
  @IsString()
  name: string;

  @ApiProperty({ example: 'Ministry of Health' })
  @IsSingleLine()
  @Length(1, 300)
  @IsString()
  organisation: string;

  @ApiProperty({ enum: STAKEHOLDER_TYPES })
  @IsIn(STAKEHOLDER_TYPES)
  stakeholderType: StakeholderType;

  @ApiProperty({ example: 'KZ', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'must be an ISO 3166-1 alpha-2 country code such as KZ' })
  country: string;

  @ApiProperty({ enum: LANGUAGES, description: 'One of the event languages; emails use it.' })
  @IsIn(LANGUAGES)
  language: Language;

  @ApiProperty({ type: DelegationHeadDto })
  @IsObject(mustBeObject)
  @ValidateNested()
  @Type(() => DelegationHeadDto)
  head: DelegationHeadDto;

  @ApiProperty({ type: [DelegationMemberDto] })
  @IsArray()
  @ArrayMaxSize(MAX_DELEGATION_MEMBERS)
  @ValidateNested({ each: true })
  @Type(() => DelegationMemberDto)
  members: DelegationMemberDto[];

  @ApiProperty({ type: ConsentDto, description: 'The head confirms consent for everyone.' })
  @IsObject(mustBeObject)
  @ValidateNested()
  @Type(() => ConsentDto)
  consent: ConsentDto;
}
