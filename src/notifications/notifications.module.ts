import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events/events.module';
import { Email } from './email.entity';
import { EmailsController } from './emails.controller';
import { NotificationsService } from './notifications.service';
import { EmailRenderer } from './rendering/email-renderer';

/**
 * The email outbox and log. Other features import this module and call
 * NotificationsService.enqueue in their own transactions; they never send mail themselves.
 * EmailRenderer turns an outbox row's context into the email itself (words, QR code, calendar).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Email]), EventsModule],
  controllers: [EmailsController],
  providers: [NotificationsService, EmailRenderer],
  exports: [NotificationsService, EmailRenderer],
})
export class NotificationsModule {}
