import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Event } from './event.entity';
import { EventHooks } from './event-hooks';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { PublicEventsController } from './public-events.controller';
import { PublicEventsService } from './public-events.service';
import { EventSession } from './sessions/event-session.entity';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsService } from './sessions/sessions.service';

/** Events and their agenda: one aggregate, since an event's window and its sessions must agree. */
@Module({
  imports: [TypeOrmModule.forFeature([Event, EventSession])],
  controllers: [EventsController, SessionsController, PublicEventsController],
  providers: [EventsService, SessionsService, PublicEventsService, EventHooks],
  exports: [EventsService, SessionsService, EventHooks],
})
export class EventsModule {}
