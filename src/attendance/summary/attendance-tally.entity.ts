import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AttendanceTallyFacts } from './attendance-tally-facts';

/**
 * How many registrations of an event are counted under one key (attendance_tally_keys' facts):
 * what the attendance summary adds up instead of joining 100,000 registrations with their
 * check-ins. PostgreSQL's triggers append a -1 row for the key a registration leaves and a +1
 * row for the key it takes, in the transaction that changes it: appending takes no lock, so
 * desks checking people in at once never queue on a counter. AttendanceTalliesService folds an
 * event's rows into one per key every few seconds.
 *
 * No foreign key to events: a registration deleted with its event still appends its -1 rows.
 */
@Entity('attendance_tallies')
@Index('idx_attendance_tallies_event_session', ['eventId', 'sessionKey'])
// The events with rows to fold, without reading the folded ones.
@Index('idx_attendance_tallies_unfolded', ['eventId'], { where: 'NOT "folded"' })
export class AttendanceTally extends AttendanceTallyFacts {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  sessionKey: string;

  /** +1 or -1 as appended; the sum of the rows it replaced once folded. */
  @Column({ type: 'int' })
  people: number;

  /** False as the triggers append it; true once it is an event's one row for its key. */
  @Column({ type: 'boolean', default: false })
  folded: boolean;
}
