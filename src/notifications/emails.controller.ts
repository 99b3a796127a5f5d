import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import type { Page } from '../common/http/paging';
import { EmailLogQueryDto } from './dto/email-log-query.dto';
import { EmailView, presentEmail } from './email.presenter';
import { NotificationsService } from './notifications.service';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';

@ApiTags('emails')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/events/:slug/emails')
export class EmailsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The email log of the event, newest first.' })
  async list(
    @Param('slug') slug: string,
    @Query() query: EmailLogQueryDto,
  ): Promise<Page<EmailView>> {
    const { status, kind, registrationId } = query;
    const page = await this.notifications.list(slug, { status, kind, registrationId }, query);
    return { ...page, items: page.items.map(presentEmail) };
  }
}

@ApiTags('emails')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/emails')
export class EmailRetryController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a failed email again.' })
  async retry(@Param('id', UuidParamPipe) id: string): Promise<EmailView> {
    return presentEmail(await this.notifications.retry(id));
  }
}
