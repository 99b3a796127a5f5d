import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Page, PageQueryDto } from '../common/http/paging';
import { CreateEventDto } from './dto/create-event.dto';
import { UpdateEventDto } from './dto/update-event.dto';
import { EventView, presentEvent } from './event.presenter';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  async create(@Body() dto: CreateEventDto): Promise<EventView> {
    return presentEvent(await this.events.create(dto));
  }

  @Get()
  async list(@Query() query: PageQueryDto): Promise<Page<EventView>> {
    const page = await this.events.list(query);
    return { ...page, items: page.items.map((event) => presentEvent(event)) };
  }

  @Get(':slug')
  async get(@Param('slug') slug: string): Promise<EventView> {
    return presentEvent(await this.events.findBySlug(slug));
  }

  @Patch(':slug')
  async update(@Param('slug') slug: string, @Body() dto: UpdateEventDto): Promise<EventView> {
    return presentEvent(await this.events.update(slug, dto));
  }

  @Post(':slug/publish')
  @HttpCode(200)
  async publish(@Param('slug') slug: string): Promise<EventView> {
    return presentEvent(await this.events.publish(slug));
  }

  @Post(':slug/cancel')
  @HttpCode(200)
  async cancel(@Param('slug') slug: string): Promise<EventView> {
    return presentEvent(await this.events.cancel(slug));
  }
}
