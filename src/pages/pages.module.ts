import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ParticipantsModule } from '../participants/participants.module';
import { DelegationPageController } from './delegation/delegation-page.controller';
import { EventPageController } from './event/event-page.controller';
import { ManagePageController } from './manage/manage-page.controller';
import { AssetsController } from './shared/assets.controller';
import { AssetsService } from './shared/assets.service';
import { CsrfService } from './shared/csrf.service';
import { PageErrorFilter } from './shared/page-error.filter';
import { PageResponder } from './shared/page-responder';

/**
 * The server-rendered pages and their static assets. Pages call the services directly (never
 * the HTTP API); shared/ holds what every page uses (templating, layout, language, CSRF,
 * security headers, form fields, assets). Page routes live outside /api/v1.
 */
@Module({
  imports: [EventsModule, ParticipantsModule],
  controllers: [
    AssetsController,
    EventPageController,
    ManagePageController,
    DelegationPageController,
  ],
  providers: [AssetsService, CsrfService, PageResponder, PageErrorFilter],
  exports: [AssetsService, CsrfService, PageResponder, PageErrorFilter],
})
export class PagesModule {}
