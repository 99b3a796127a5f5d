import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Event } from '../events/event.entity';
import type { EmailKind, EmailRequest } from '../notifications/email-request';
import { NotificationsService } from '../notifications/notifications.service';
import type { Language } from '../common/validation/decorators';

const REMINDER_CHECK_EVERY_MS = 60_000;

interface Registrant {
  id: string;
  email: string;
  language: Language;
  delegation_id: string | null;
}

/**
 * Emails about the event itself, to each of its registrants once: the event moved or its way in
 * changed, it was cancelled, or it starts soon. Each is one INSERT for all registrants, in the
 * transaction of the change (or of the reminder sweep), keyed so nobody gets one twice.
 */
@Injectable()
export class EventNoticesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventNotices');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Everyone who holds or awaits a place hears that the event changed or was cancelled. */
  async tellRegistrants(
    manager: EntityManager,
    event: Event,
    kind: Extract<EmailKind, 'event_updated' | 'event_cancelled'>,
    facts: Record<string, unknown> = {},
  ): Promise<void> {
    const registrants: Registrant[] = await manager.query(
      `SELECT id, email, language, delegation_id FROM registrations
        WHERE event_id = $1 AND status IN ('pending', 'confirmed', 'waitlisted')`,
      [event.id],
    );
    const change = kind === 'event_cancelled' ? 'cancelled' : randomUUID();
    await this.notifications.enqueueMany(
      manager,
      registrants.map((r) => this.request(event.id, r, kind, `${kind}:${r.id}:${change}`, facts)),
    );
  }

  /**
   * Queues the reminder of every confirmed registration of the events starting within
   * EVENT_REMINDER_HOURS that has not had one. Every instance sweeps; the dedupe key makes a
   * second sweep, here or elsewhere, add nothing.
   */
  async sendDueReminders(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due: (Registrant & { event_id: string })[] = await manager.query(
        `SELECT r.id, r.email, r.language, r.delegation_id, r.event_id
           FROM registrations r JOIN events e ON e.id = r.event_id
          WHERE e.status = 'published' AND r.status = 'confirmed'
            AND e.starts_at > now() AND e.starts_at <= now() + make_interval(hours => $1)
            AND NOT EXISTS (SELECT 1 FROM emails m WHERE m.dedupe_key = 'event_reminder:' || r.id)`,
        [this.config.eventReminderHours],
      );
      await this.notifications.enqueueMany(
        manager,
        due.map((r) => this.request(r.event_id, r, 'event_reminder', `event_reminder:${r.id}`)),
      );
      return due.length;
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.eventReminderHours === 0) return;
    this.timer = setInterval(() => {
      this.sendDueReminders().catch((error: unknown) => {
        this.logger.warn(`Reminder sweep failed, retrying next minute: ${String(error)}`);
      });
    }, REMINDER_CHECK_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private request(
    eventId: string,
    registrant: Registrant,
    kind: EmailKind,
    dedupeKey: string,
    facts: Record<string, unknown> = {},
  ): EmailRequest {
    return {
      kind,
      eventId,
      registrationId: registrant.id,
      delegationId: registrant.delegation_id,
      to: registrant.email,
      language: registrant.language,
      dedupeKey,
      facts,
    };
  }
}
