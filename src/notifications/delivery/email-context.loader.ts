import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityNotFoundError } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Event } from '../../events/event.entity';
import { Delegation } from '../../participants/delegation.entity';
import { Registration } from '../../participants/registration.entity';
import type { Email } from '../email.entity';
import type { EmailContext } from '../rendering/email-context';

type RegistrationContext = NonNullable<EmailContext['registration']>;

/** The event's columns, and the registration (null when none or gone) as one JSON object. */
export type ContextRow = EmailContext['event'] & {
  registration:
    | (Omit<RegistrationContext, 'sessions'> & {
        /** The chosen sessions by start, their times as JSON strings. */
        sessions: { title: string; startsAt: string; endsAt: string; room: string | null }[];
      })
    | null;
};

/**
 * The columns of a ContextRow, for a statement that joins the email's event as `e` and its
 * registration as `r` (the worker's claim selects them with the claimed rows).
 */
export const CONTEXT_COLUMNS = `
  e.slug, e.title, e.timezone, e.starts_at AS "startsAt", e.ends_at AS "endsAt", e.format,
  e.status, e.venue_name AS "venueName", e.venue_address AS "venueAddress",
  CASE WHEN r.id IS NOT NULL THEN json_build_object(
    'id', r.id, 'reference', r.reference, 'status', r.status,
    'attendanceMode', r.attendance_mode, 'givenName', r.given_name,
    'familyName', r.family_name, 'manageToken', r.manage_token,
    'joinToken', r.join_token, 'checkinCode', r.checkin_code,
    'sessions', (SELECT coalesce(json_agg(json_build_object(
                           'title', s.title, 'startsAt', s.starts_at,
                           'endsAt', s.ends_at, 'room', s.room)
                         ORDER BY s.starts_at, s.ends_at, s.title), '[]'::json)
                   FROM registration_sessions rs
                   JOIN event_sessions s ON s.id = rs.session_id
                  WHERE rs.registration_id = r.id)) END AS registration`;

const CONTEXT_SQL = `
  SELECT ${CONTEXT_COLUMNS}
    FROM events e
    LEFT JOIN registrations r ON r.id = $2
   WHERE e.id = $1`;

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

  /**
   * `icsSequence`, when the caller already counted the earlier emails, saves a query; `loaded`,
   * the CONTEXT_COLUMNS the caller already selected (null: the event is gone), saves another.
   */
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
    loaded?: ContextRow | null,
  ): Promise<EmailContext> {
    const manager = this.dataSource.manager;
    // One round trip for the event, the registration and its sessions (the common case), or
    // none; the ORM's three queries were ~15 % of the service's CPU while draining a burst.
    const row =
      loaded !== undefined
        ? loaded
        : (
            await this.dataSource.query<ContextRow[]>(CONTEXT_SQL, [
              email.eventId,
              email.registrationId,
            ])
          )[0];
    if (!row) throw new EntityNotFoundError(Event, { id: email.eventId });
    const context: EmailContext = {
      emailId: email.id,
      kind: email.kind,
      language: email.language,
      to: email.toAddress,
      facts: email.facts,
      publicUrl: this.config.publicUrl,
      event: {
        slug: row.slug,
        title: row.title,
        timezone: row.timezone,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        format: row.format,
        status: row.status,
        venueName: row.venueName,
        venueAddress: row.venueAddress,
      },
      icsSequence: 0,
    };
    if (email.registrationId) {
      if (!row.registration) {
        throw new EntityNotFoundError(Registration, { id: email.registrationId });
      }
      const { sessions, ...registration } = row.registration;
      context.registration = {
        ...registration,
        sessions: sessions.map((s) => ({
          title: s.title,
          startsAt: new Date(s.startsAt),
          endsAt: new Date(s.endsAt),
          room: s.room,
        })),
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
