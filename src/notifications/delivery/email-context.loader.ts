import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Event } from '../../events/event.entity';
import { EventSession } from '../../events/sessions/event-session.entity';
import { Delegation } from '../../participants/delegation.entity';
import { RegistrationSession } from '../../participants/registration-session.entity';
import { Registration } from '../../participants/registration.entity';
import type { Email } from '../email.entity';
import type { EmailContext } from '../rendering/email-context';

/**
 * Reads what an outbox row needs to be rendered, as the database holds it at send time. It only
 * reads the tables of events and participants (no module of theirs is involved), so the
 * notifications module stays below them: they write the outbox, this reads their rows.
 */
@Injectable()
export class EmailContextLoader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `icsSequence`, when the caller already counted the earlier emails, saves a query. */
  async load(
    email: Pick<
      Email,
      | 'id'
      | 'eventId'
      | 'registrationId'
      | 'delegationId'
      | 'kind'
      | 'language'
      | 'toAddress'
      | 'facts'
    >,
    icsSequence?: number,
  ): Promise<EmailContext> {
    const manager = this.dataSource.manager;
    const event = await manager.findOneByOrFail(Event, { id: email.eventId });
    const context: EmailContext = {
      emailId: email.id,
      kind: email.kind,
      language: email.language,
      to: email.toAddress,
      facts: email.facts,
      publicUrl: this.config.publicUrl,
      event: {
        slug: event.slug,
        title: event.title,
        timezone: event.timezone,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        format: event.format,
        status: event.status,
        venueName: event.venueName,
        venueAddress: event.venueAddress,
      },
      icsSequence: 0,
    };
    if (email.registrationId) {
      const registration = await manager.findOneByOrFail(Registration, {
        id: email.registrationId,
      });
      const choices = await manager.find(RegistrationSession, {
        where: { registrationId: registration.id },
        relations: { session: true },
      });
      context.registration = {
        id: registration.id,
        reference: registration.reference,
        status: registration.status,
        attendanceMode: registration.attendanceMode,
        givenName: registration.givenName,
        familyName: registration.familyName,
        manageToken: registration.manageToken,
        joinToken: registration.joinToken,
        checkinCode: registration.checkinCode,
        sessions: choices
          .map((choice) => choice.session)
          .filter((session): session is EventSession => session !== undefined)
          .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
          .map((s) => ({ title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, room: s.room })),
      };
      // Each earlier email about the registration may have carried its calendar entry.
      context.icsSequence = icsSequence ?? (await this.earlierEmails(registration.id, email.id));
    }
    if (email.delegationId && !email.registrationId) {
      const delegation = await manager.findOneByOrFail(Delegation, { id: email.delegationId });
      const members = await manager.find(Registration, {
        where: { delegationId: delegation.id },
        order: { isDelegationHead: 'DESC', familyName: 'ASC', givenName: 'ASC' },
      });
      context.delegation = {
        id: delegation.id,
        name: delegation.name,
        headGivenName: delegation.headGivenName,
        headFamilyName: delegation.headFamilyName,
        manageToken: delegation.manageToken,
        members: members.map((m) => ({
          givenName: m.givenName,
          familyName: m.familyName,
          attendanceMode: m.attendanceMode,
          status: m.status,
          reference: m.reference,
        })),
      };
    }
    return context;
  }

  private async earlierEmails(registrationId: string, emailId: string): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM emails
        WHERE registration_id = $1
          AND (created_at, id) < (SELECT created_at, id FROM emails WHERE id = $2)`,
      [registrationId, emailId],
    );
    return count;
  }
}
