import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { Page, PageQueryDto } from '../common/http/paging';
import { PublicEventView } from './event.presenter';
import { PublicEventsService } from './public-events.service';

@ApiTags('public')
@Public()
@Controller('api/v1/public/events')
export class PublicEventsController {
  constructor(private readonly catalogue: PublicEventsService) {}

  @Get()
  list(@Query() query: PageQueryDto): Promise<Page<PublicEventView>> {
    return this.catalogue.list(query);
  }

  @Get(':slug')
  get(@Param('slug') slug: string): Promise<PublicEventView> {
    return this.catalogue.get(slug);
  }
}
