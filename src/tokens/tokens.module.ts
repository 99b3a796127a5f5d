import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TOKEN_AUTHENTICATOR } from '../common/auth/token-authenticator';
import { EventsModule } from '../events/events.module';
import { ApiToken } from './api-token.entity';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken]), EventsModule],
  controllers: [TokensController],
  providers: [TokensService, { provide: TOKEN_AUTHENTICATOR, useExisting: TokensService }],
  exports: [TOKEN_AUTHENTICATOR],
})
export class TokensModule {}
