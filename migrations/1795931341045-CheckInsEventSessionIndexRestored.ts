import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Back to check_ins (event_id, session_key), undoing half of AttendanceSummaryMergeIndexes.
 * Keyed on registration_id too, every check-in at the door went to a random place in a larger,
 * undeduplicated index: in check-in-rush, four runs alternated with the build before, the bare
 * check-in statement lost 15 % of its throughput (1,181 -> 1,007 a second) and its p99 paced at
 * 500/s went from 8-12 to 26-50 ms. The attendance summary gets its check-ins by hashing again.
 */
export class CheckInsEventSessionIndexRestored1795931341045 implements MigrationInterface {
  name = 'CheckInsEventSessionIndexRestored1795931341045';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_check_ins_event_session_registration"`);
    await queryRunner.query(
      `CREATE INDEX "idx_check_ins_event_session" ON "check_ins" ("event_id", "session_key")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_check_ins_event_session"`);
    await queryRunner.query(
      `CREATE INDEX "idx_check_ins_event_session_registration" ON "check_ins" ("event_id", "session_key", "registration_id")`,
    );
  }
}
