import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { WHOLE_EVENT } from '../../attendance/session-key';

export interface DeskCounts {
  inRoom: number;
  confirmedInPerson: number;
  joinedOnline: number;
  confirmedOnline: number;
}

/**
 * The desk polls this every few seconds, so it is one aggregate statement over the event's
 * registrations (index on registrations.event_id), with the check-in and the first online join
 * of each found through their unique (registration_id, session_key) indexes.
 */
const COUNTS = `
  SELECT e.id IS NOT NULL AS found,
         count(r.id) FILTER (WHERE r.status = 'confirmed' AND r.attendance_mode = 'in_person')::int
           AS confirmed_in_person,
         count(c.id)::int AS in_room,
         count(r.id) FILTER (WHERE r.status = 'confirmed' AND r.attendance_mode = 'online')::int
           AS confirmed_online,
         count(j.id) FILTER (WHERE r.attendance_mode = 'online')::int AS joined_online
    FROM (SELECT id FROM events WHERE slug = $1) e
    LEFT JOIN registrations r ON r.event_id = e.id
    LEFT JOIN check_ins c ON c.registration_id = r.id AND c.session_key = '${WHOLE_EVENT}'
    LEFT JOIN online_joins j ON j.registration_id = r.id AND j.session_key = '${WHOLE_EVENT}'
   GROUP BY e.id`;

@Injectable()
export class DeskCountsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async counts(slug: string): Promise<DeskCounts> {
    const rows = await this.dataSource.query<
      {
        in_room: number;
        confirmed_in_person: number;
        joined_online: number;
        confirmed_online: number;
      }[]
    >(COUNTS, [slug]);
    const row = rows[0];
    if (!row) throw new NotFoundError(`The event ${slug}`, 'EVENT_NOT_FOUND');
    return {
      inRoom: row.in_room,
      confirmedInPerson: row.confirmed_in_person,
      joinedOnline: row.joined_online,
      confirmedOnline: row.confirmed_online,
    };
  }
}
