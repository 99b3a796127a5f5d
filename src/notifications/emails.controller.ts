import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import type { Page } from '../common/http/paging';
import { EmailLogQueryDto } from './dto/email-log-query.dto';
import { EmailView, presentEmail } from './email.presenter';
import { NotificationsService } from './notifications.service';

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
