import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttendanceMode } from '../../events/event.entity';
import type { RegistrationStatus, StakeholderType } from '../../participants/registration.entity';

/**
 * What one registration is counted as in attendance_tallies, for the event as a whole (session
 * key 'event') or one session: written only by PostgreSQL's triggers (migration
 * AttendanceTallies), never by the service. The row is also the registration's lock while its
 * tally moves, so two changes to one person at once are counted one after the other.
 *
 * Its columns are the facts the attended rule needs (attended-sql.ts): the registration's mode,
 * stakeholder type and status; chose the session; checked in; online minutes; opened the link.
 */
@Entity('attendance_tally_keys')
export class AttendanceTallyKey {
  @PrimaryColumn({ type: 'uuid' })
  registrationId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  sessionKey: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 16 })
  attendanceMode: AttendanceMode;

  @Column({ type: 'varchar', length: 32 })
  stakeholderType: StakeholderType;

  @Column({ type: 'varchar', length: 16 })
  status: RegistrationStatus;

  @Column({ type: 'boolean' })
  chose: boolean;

  @Column({ type: 'boolean' })
  checkedIn: boolean;

  @Column({ type: 'int', nullable: true })
  minutes: number | null;

  @Column({ type: 'boolean' })
  opened: boolean;
}
