import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import type { Language } from '../../common/validation/decorators';
import { Event } from '../../events/event.entity';
import { EventSession } from '../../events/sessions/event-session.entity';
import { Registration } from '../../participants/registration.entity';
import { sessionKeyOf } from '../session-key';
import type { JoinRefusal } from './join-pages';

export type JoinOutcome =
  | { kind: 'redirect'; url: string }
  | {
      kind: 'refused';
      status: 404 | 409;
      refusal: JoinRefusal;
      language: Language | null;
      eventTitle: string | null;
    };

const UPSERT_JOIN = `
  INSERT INTO online_joins
    (event_id, registration_id, session_id, session_key, first_joined_at, last_joined_at)
  VALUES ($1, $2, $3, $4, $5, $5)
  ON CONFLICT (registration_id, session_key) DO UPDATE
    SET last_joined_at = GREATEST(online_joins.last_joined_at, EXCLUDED.last_joined_at),
        join_count = online_joins.join_count + 1`;

/**
 * The personal join link: records the open (first, last, count per session key, one upsert)
 * and names the meeting to redirect to. Refusals are pages, not problem documents: the link is
 * opened by a person in a browser.
 */
@Injectable()
export class OnlineJoinsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async join(joinToken: string, sessionId: string | undefined): Promise<JoinOutcome> {
    const registration = await this.dataSource.manager.findOne(Registration, {
      where: { joinToken },
      relations: { event: true },
    });
    const event = registration?.event;
    if (!registration || !event) return this.refused(404, 'unknown_link', null, null);
    const refuse = (status: 404 | 409, refusal: JoinRefusal) =>
      this.refused(status, refusal, registration.language, event.title);

    if (event.status === 'cancelled') return refuse(409, 'event_cancelled');
    if (registration.status !== 'confirmed') return refuse(409, registration.status);
    if (registration.attendanceMode !== 'online') return refuse(409, 'in_person');

    let session: EventSession | null = null;
    if (sessionId !== undefined) {
      session = isUUID(sessionId)
        ? await this.dataSource.manager.findOneBy(EventSession, {
            id: sessionId,
            eventId: event.id,
          })
        : null;
      if (!session) return refuse(404, 'unknown_session');
    }
    const url = this.meetingOf(event, session);
    if (!url) return refuse(409, 'no_meeting_yet');

    await this.dataSource.query(UPSERT_JOIN, [
      event.id,
      registration.id,
      session?.id ?? null,
      sessionKeyOf(session?.id),
      new Date(),
    ]);
    return { kind: 'redirect', url };
  }

  private meetingOf(event: Event, session: EventSession | null): string | null {
    return session?.onlineJoinUrl ?? event.onlineJoinUrl;
  }

  private refused(
    status: 404 | 409,
    refusal: JoinRefusal,
    language: Language | null,
    eventTitle: string | null,
  ): JoinOutcome {
    return { kind: 'refused', status, refusal, language, eventTitle };
  }
}
