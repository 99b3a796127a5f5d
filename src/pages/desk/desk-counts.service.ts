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
 * each number is counted where it lives, for one event id known when the plan is made:
 * - confirmed per mode: the event's registrations, from idx_registrations_event_summary's
 *   index-only scan;
 * - in the room: the event's whole-event check-ins, from idx_check_ins_event_session alone;
 * - joined online: the event's whole-event joins, each registration's mode looked up by
 *   primary key (a scalar subquery, so it stays a look-up for the few joins).
 * On the reports benchmark's data (held, vacuumed), 57 ms at 100,000 registrations and 5.6 ms
 * at 10,000, against 130 and 22 ms for the one join of registrations with their check-ins and
 * joins it replaces (89 ms even given the event's id: the join itself was the cost).
 */
export const DESK_COUNTS_SQL = `
  SELECT count(*) FILTER (WHERE r.attendance_mode = 'in_person')::int AS confirmed_in_person,
         count(*) FILTER (WHERE r.attendance_mode = 'online')::int AS confirmed_online,
         (SELECT count(*) FROM check_ins c
           WHERE c.event_id = $1 AND c.session_key = '${WHOLE_EVENT}')::int AS in_room,
         (SELECT count(*) FILTER (WHERE (SELECT o.attendance_mode FROM registrations o
                                          WHERE o.id = j.registration_id) = 'online')
            FROM online_joins j
           WHERE j.event_id = $1 AND j.session_key = '${WHOLE_EVENT}')::int AS joined_online
    FROM registrations r
   WHERE r.event_id = $1 AND r.status = 'confirmed'`;

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
    const [row] = await this.dataSource.transaction(async (manager) => {
      // Parallel workers would take the cores from the check-ins the desks are there for
      // (as for the attendance summary: attendance-summary.sql.ts).
      await manager.query('SET LOCAL max_parallel_workers_per_gather = 0');
      return manager.query<CountsRow[]>(DESK_COUNTS_SQL, [event.id]);
    });
    return {
      inRoom: row.in_room,
      confirmedInPerson: row.confirmed_in_person,
      joinedOnline: row.joined_online,
      confirmedOnline: row.confirmed_online,
    };
  }
}
