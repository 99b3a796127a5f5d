import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/http/paging';
import { EMAIL_KINDS, EMAIL_STATUSES, type EmailKind, type EmailStatus } from '../email-request';

/** What the email log can be narrowed to. */
export interface EmailLogFilters {
  status?: EmailStatus;
  kind?: EmailKind;
  registrationId?: string;
}

export class EmailLogQueryDto extends PageQueryDto implements EmailLogFilters {
  @ApiPropertyOptional({ enum: EMAIL_STATUSES })
  @IsOptional()
  @IsIn(EMAIL_STATUSES)
  status?: EmailStatus;

  @ApiPropertyOptional({ enum: EMAIL_KINDS })
  @IsOptional()
  @IsIn(EMAIL_KINDS)
  kind?: EmailKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  registrationId?: string;
}
