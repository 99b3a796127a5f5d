import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * attendance_tally_recount locks the registration (FOR SHARE) before it counts a registration
 * under a key for the first time (a session's first fact). Without it, a session key created
 * while a change to the registration (a new status, mode or stakeholder type) was in flight
 * kept the registration as it was before: the change's trigger had recounted only the key rows
 * it could see, and the new one was not yet committed. FOR SHARE waits for that change to
 * commit, and makes a change that comes after it wait, so its trigger sees the new key row.
 * Only the first count pays for the lock; the door's check-in path does not take it.
 */
export class AttendanceTallyFirstCountLocksRegistration1795940290909 implements MigrationInterface {
  name = 'AttendanceTallyFirstCountLocksRegistration1795940290909';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(recount(LOCK_REGISTRATION));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(recount(''));
  }
}

const LOCK_REGISTRATION = `
          -- A change to the registration in flight commits first; one after this waits.
          PERFORM 1 FROM registrations WHERE id = p_registration FOR SHARE;`;

/** attendance_tally_recount as migration AttendanceTallies wrote it, with or without the lock. */
const recount = (lockRegistration: string) => `
      CREATE OR REPLACE FUNCTION attendance_tally_recount(p_registration uuid, p_session_key varchar)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        was attendance_tally_keys;
        now_ attendance_tally_keys;
        counted boolean;
      BEGIN
        LOOP
          SELECT * INTO was FROM attendance_tally_keys
           WHERE registration_id = p_registration AND session_key = p_session_key FOR UPDATE;
          EXIT WHEN FOUND;${lockRegistration}
          SELECT * INTO now_ FROM attendance_tally_facts(p_registration, p_session_key);
          IF NOT FOUND THEN RETURN; END IF;
          INSERT INTO attendance_tally_keys VALUES (now_.*) ON CONFLICT DO NOTHING;
          IF FOUND THEN
            INSERT INTO attendance_tallies
              (event_id, session_key, attendance_mode, stakeholder_type, status, chose,
               checked_in, minutes, opened, people)
            VALUES (now_.event_id, now_.session_key, now_.attendance_mode, now_.stakeholder_type,
                    now_.status, now_.chose, now_.checked_in, now_.minutes, now_.opened, 1);
            RETURN;
          END IF;
          -- Another transaction counted this key first: lock its row and compare with it.
        END LOOP;

        SELECT * INTO now_ FROM attendance_tally_facts(p_registration, p_session_key);
        counted := FOUND;
        IF counted AND was IS NOT DISTINCT FROM now_ THEN RETURN; END IF;
        INSERT INTO attendance_tallies
          (event_id, session_key, attendance_mode, stakeholder_type, status, chose, checked_in,
           minutes, opened, people)
        VALUES (was.event_id, was.session_key, was.attendance_mode, was.stakeholder_type,
                was.status, was.chose, was.checked_in, was.minutes, was.opened, -1);
        IF counted THEN
          INSERT INTO attendance_tallies
            (event_id, session_key, attendance_mode, stakeholder_type, status, chose,
             checked_in, minutes, opened, people)
          VALUES (now_.event_id, now_.session_key, now_.attendance_mode, now_.stakeholder_type,
                  now_.status, now_.chose, now_.checked_in, now_.minutes, now_.opened, 1);
          UPDATE attendance_tally_keys SET event_id = now_.event_id,
                 attendance_mode = now_.attendance_mode, stakeholder_type = now_.stakeholder_type,
                 status = now_.status, chose = now_.chose, checked_in = now_.checked_in,
                 minutes = now_.minutes, opened = now_.opened
           WHERE registration_id = p_registration AND session_key = p_session_key;
        ELSE
          DELETE FROM attendance_tally_keys
           WHERE registration_id = p_registration AND session_key = p_session_key;
        END IF;
      END $$`;
