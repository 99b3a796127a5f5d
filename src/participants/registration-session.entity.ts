import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { EventSession } from '../events/sessions/event-session.entity';
import { Registration } from './registration.entity';

/** A session a participant chose. It holds a seat while the registration is confirmed in person. */
@Entity('registration_sessions')
@Index('idx_registration_sessions_session', ['sessionId'])
export class RegistrationSession {
  @PrimaryColumn({ type: 'uuid' })
  registrationId: string;

  @PrimaryColumn({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Registration, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'registration_id',
    foreignKeyConstraintName: 'fk_registration_sessions_registration',
  })
  registration?: Relation<Registration>;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_registration_sessions_session' })
  session?: Relation<EventSession>;
}
