import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators';
import { Page, PageQueryDto } from '../../common/http/paging';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { presentSession, SessionView } from '../event.presenter';
import { CreateSessionDto, UpdateSessionDto } from './dto/create-session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Roles('organiser')
@Controller('api/v1/events/:slug/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  async create(@Param('slug') slug: string, @Body() dto: CreateSessionDto): Promise<SessionView> {
    return presentSession(await this.sessions.create(slug, dto));
  }

  @Get()
  async list(
    @Param('slug') slug: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<SessionView>> {
    const page = await this.sessions.list(slug, query);
    return { ...page, items: page.items.map(presentSession) };
  }

  @Get(':id')
  async get(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<SessionView> {
    return presentSession(await this.sessions.get(slug, id));
  }

  @Patch(':id')
  async update(
    @Param('slug') slug: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: UpdateSessionDto,
  ): Promise<SessionView> {
    return presentSession(await this.sessions.update(slug, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('slug') slug: string, @Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.sessions.remove(slug, id);
  }
}
