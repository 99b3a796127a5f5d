import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WHOLE_EVENT } from '../../attendance/session-key';
import { EventsService } from '../../events/events.service';

export interface DeskCounts {
  inRoom: number;
  confirmedInPerson: number;
  joinedOnline: number;
  confirmedOnline: number;
}

/**
 * Every open desk polls this every 4 seconds (20 desks: 5 calls a second through the rush), so
 * it adds up the event's attendance tallies (migration AttendanceTallies), as the attendance
 * summary does, instead of counting 100,000 registrations: 62-83 ms p95 at 100,000 on the
 * reports benchmark when it counted the tables. Each registration is counted once under the
 * whole event's key, so:
 * - in the room: registrations with a whole-event check-in, whatever became of them since;
 * - joined online: online registrations that opened their link, for the event or a session.
 */
export const DESK_COUNTS_SQL = `
  SELECT COALESCE(sum(people) FILTER (WHERE checked_in), 0)::int AS in_room,
         COALESCE(sum(people) FILTER (WHERE status = 'confirmed'
                                        AND attendance_mode = 'in_person'), 0)::int
           AS confirmed_in_person,
         COALESCE(sum(people) FILTER (WHERE opened AND attendance_mode = 'online'), 0)::int
           AS joined_online,
         COALESCE(sum(people) FILTER (WHERE status = 'confirmed'
                                        AND attendance_mode = 'online'), 0)::int
           AS confirmed_online
    FROM attendance_tallies
   WHERE event_id = $1 AND session_key = '${WHOLE_EVENT}'`;

interface CountsRow {
  in_room: number;
  confirmed_in_person: number;
  joined_online: number;
  confirmed_online: number;
}

@Injectable()
export class DeskCountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async counts(slug: string): Promise<DeskCounts> {
    const event = await this.events.findBySlug(slug);
    const [row] = await this.dataSource.query<CountsRow[]>(DESK_COUNTS_SQL, [event.id]);
    return {
      inRoom: row.in_room,
      confirmedInPerson: row.confirmed_in_person,
      joinedOnline: row.joined_online,
      confirmedOnline: row.confirmed_online,
    };
  }
}
