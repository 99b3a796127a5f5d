import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsDateTimeWithOffset } from '../../common/validation/date-time';
import { IsSingleLine } from '../../common/validation/decorators';

export class CheckInDto {
  @ApiProperty({ description: 'What the QR code holds, or the 8-character reference.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  code: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Check in to this session only.' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({ description: 'Which desk scanned, for the audit trail.' })
  @IsOptional()
  @IsString()
  @IsSingleLine()
  @MaxLength(100)
  desk?: string;

  @ApiPropertyOptional({
    description: "The desk's own id for this scan: a retry gets the same answer.",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @IsSingleLine()
  @MaxLength(100)
  nonce?: string;

  @ApiPropertyOptional({ description: "The desk's clock when it scanned (ISO 8601 with offset)." })
  @IsOptional()
  @IsDateTimeWithOffset()
  scannedAt?: string;

  @ApiPropertyOptional({
    description: 'Let an online registrant in: switches them to in person if a seat is free.',
  })
  @IsOptional()
  @IsBoolean()
  admitOnline?: boolean;
}

export class UndoCheckInQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;
}

export class DeskSearchQueryDto {
  @ApiProperty({ description: 'Part of a name, an organisation or a reference.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  q: string;
}
