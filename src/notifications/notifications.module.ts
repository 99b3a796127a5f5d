import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { Email } from './email.entity';
import { EmailRetryController, EmailsController } from './emails.controller';
import { NotificationsService } from './notifications.service';
import { EmailRenderer } from './rendering/email-renderer';
import { APP_CONFIG } from '../config/app-config';
import { EmailClaims } from './delivery/email-claims';
import { EmailContextLoader } from './delivery/email-context.loader';
import { EmailWorker } from './delivery/email-worker.service';
import { createMailTransport, MAIL_TRANSPORT } from './delivery/mail-transport';

/**
 * The email outbox and log. Other features import this module and call
 * NotificationsService.enqueue in their own transactions; they never send mail themselves.
 * EmailRenderer turns an outbox row's context into the email itself (words, QR code, calendar);
 * EmailWorker sends what was committed, through SMTP or into .eml files.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Email]), EventsModule],
  controllers: [EmailsController, EmailRetryController],
  providers: [
    NotificationsService,
    EmailRenderer,
    EmailClaims,
    EmailContextLoader,
    EmailWorker,
    { provide: MAIL_TRANSPORT, useFactory: createMailTransport, inject: [APP_CONFIG] },
  ],
  exports: [NotificationsService, EmailRenderer],
})
export class NotificationsModule {}
