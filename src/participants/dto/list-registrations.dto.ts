import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/paging';
import { ATTENDANCE_MODES, type AttendanceMode } from '../../events/event.entity';
import { REGISTRATION_STATUSES, type RegistrationStatus } from '../registration.entity';

export class ListRegistrationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES)
  status?: RegistrationStatus;

  @ApiPropertyOptional({ enum: ATTENDANCE_MODES })
  @IsOptional()
  @IsIn(ATTENDANCE_MODES)
  mode?: AttendanceMode;

  @ApiPropertyOptional({ description: 'Part of a name, email, organisation or reference.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  delegationId?: string;
}
