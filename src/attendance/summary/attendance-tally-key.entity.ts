import { Entity, PrimaryColumn } from 'typeorm';
import { AttendanceTallyFacts } from './attendance-tally-facts';

/**
 * What one registration is counted as in attendance_tallies, for the event as a whole (session
 * key 'event') or one session: written only by PostgreSQL's triggers (migration
 * AttendanceTallies), never by the service. The row is also the registration's lock while its
 * tally moves, so two changes to one person at once are counted one after the other.
 */
@Entity('attendance_tally_keys')
export class AttendanceTallyKey extends AttendanceTallyFacts {
  @PrimaryColumn({ type: 'uuid' })
  registrationId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  sessionKey: string;
}
