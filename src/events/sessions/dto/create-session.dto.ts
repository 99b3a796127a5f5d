import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
import { IsDateTimeWithOffset } from '../../../common/validation/date-time';
import { IsOmittable, IsSingleLine } from '../../../common/validation/decorators';

export class SessionCapacityDto {
  @ApiPropertyOptional({ minimum: 0, example: 40, description: 'Seats in the room.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  inPerson?: number | null;
}

export class CreateSessionDto {
  @ApiProperty({ example: 'Panel: harm reduction in Central Asia' })
  @IsString()
  @Length(1, 300)
  @IsSingleLine()
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string | null;

  @ApiProperty({ example: '2026-06-07T10:00:00+05:00' })
  @IsDateTimeWithOffset()
  startsAt: string;

  @ApiProperty({ example: '2026-06-07T11:30:00+05:00' })
  @IsDateTimeWithOffset()
  endsAt: string;

  @ApiPropertyOptional({ example: 'Hall B' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  room?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['Dr. A. Seitkali'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  speakers?: string[];

  @ApiPropertyOptional({ type: SessionCapacityDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SessionCapacityDto)
  capacity?: SessionCapacityDto;

  @ApiPropertyOptional({ description: 'A separate meeting for this session. Never public.' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2000)
  onlineJoinUrl?: string | null;
}

/**
 * Any field of a session. A required field may be left out but not set to null (that would be a
 * NOT NULL violation, a 500); the optional ones accept null to clear them.
 */
export class UpdateSessionDto extends PartialType(OmitType(CreateSessionDto, [] as const), {
  skipNullProperties: false,
}) {}
