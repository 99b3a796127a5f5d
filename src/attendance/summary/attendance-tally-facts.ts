import { Column } from 'typeorm';
import type { AttendanceMode } from '../../events/event.entity';
import type { RegistrationStatus, StakeholderType } from '../../participants/registration.entity';

/**
 * The facts a registration is counted by, for the event as a whole or one session: the columns
 * attendance_tally_keys and attendance_tallies share (the attended rule, attended-sql.ts, needs
 * no more).
 */
export abstract class AttendanceTallyFacts {
  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 16 })
  attendanceMode: AttendanceMode;

  @Column({ type: 'varchar', length: 32 })
  stakeholderType: StakeholderType;

  @Column({ type: 'varchar', length: 16 })
  status: RegistrationStatus;

  /** Chose the session (always false for the event as a whole). */
  @Column({ type: 'boolean' })
  chose: boolean;

  @Column({ type: 'boolean' })
  checkedIn: boolean;

  /** Online minutes from imported reports; null when none are known. */
  @Column({ type: 'int', nullable: true })
  minutes: number | null;

  /** Opened the personal join link (for the event as a whole: any of its links). */
  @Column({ type: 'boolean' })
  opened: boolean;
}
