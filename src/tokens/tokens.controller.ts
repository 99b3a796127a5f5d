import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Page, PageQueryDto } from '../common/http/paging';
import { UuidParamPipe } from '../common/http/uuid-param.pipe';
import { CreateTokenDto } from './dto/create-token.dto';
import { TokensService, TokenView } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  create(@Body() dto: CreateTokenDto): Promise<TokenView & { secret: string }> {
    return this.tokens.create(dto);
  }

  @Get()
  list(@Query() query: PageQueryDto): Promise<Page<TokenView>> {
    return this.tokens.list(query);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@Param('id', UuidParamPipe) id: string): Promise<void> {
    return this.tokens.revoke(id);
  }
}
