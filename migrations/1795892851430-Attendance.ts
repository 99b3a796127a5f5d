import { MigrationInterface, QueryRunner } from 'typeorm';

export class Attendance1795892851430 implements MigrationInterface {
  name = 'Attendance1795892851430';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "check_in_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "registration_id" uuid, "session_id" uuid, "code" character varying(200) NOT NULL, "result" character varying(24) NOT NULL, "reason" character varying(32), "desk" character varying(100), "nonce" character varying(100), "scanned_at" TIMESTAMP WITH TIME ZONE, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "response_status" smallint NOT NULL, "response_body" json NOT NULL, CONSTRAINT "chk_check_in_attempts_reason" CHECK (("result" = 'not_admitted') = ("reason" IS NOT NULL)), CONSTRAINT "chk_check_in_attempts_result" CHECK ("result" IN ('checked_in', 'already_checked_in', 'not_admitted', 'not_found')), CONSTRAINT "pk_check_in_attempts" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_check_in_attempts_registration" ON "check_in_attempts"  ("registration_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_check_in_attempts_event_received" ON "check_in_attempts"  ("event_id", "received_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_check_in_attempts_event_nonce" ON "check_in_attempts"  ("event_id", "nonce") WHERE "nonce" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "check_ins" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "session_id" uuid, "session_key" character varying(36) NOT NULL, "checked_in_at" TIMESTAMP WITH TIME ZONE NOT NULL, "scanned_at" TIMESTAMP WITH TIME ZONE, "desk" character varying(100), CONSTRAINT "chk_check_ins_session_key" CHECK ("session_key" = COALESCE("session_id"::text, 'event')), CONSTRAINT "pk_check_ins" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_check_ins_session" ON "check_ins"  ("session_id") `);
    await queryRunner.query(
      `CREATE INDEX "idx_check_ins_event_session" ON "check_ins"  ("event_id", "session_key") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_check_ins_registration_session" ON "check_ins"  ("registration_id", "session_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "online_joins" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "session_id" uuid, "session_key" character varying(36) NOT NULL, "first_joined_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_joined_at" TIMESTAMP WITH TIME ZONE NOT NULL, "join_count" integer NOT NULL DEFAULT '1', CONSTRAINT "chk_online_joins_order" CHECK ("last_joined_at" >= "first_joined_at"), CONSTRAINT "chk_online_joins_join_count" CHECK ("join_count" >= 1), CONSTRAINT "chk_online_joins_session_key" CHECK ("session_key" = COALESCE("session_id"::text, 'event')), CONSTRAINT "pk_online_joins" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_online_joins_session" ON "online_joins"  ("session_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_online_joins_event_session" ON "online_joins"  ("event_id", "session_key") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_online_joins_registration_session" ON "online_joins"  ("registration_id", "session_key") `,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in_attempts" ADD CONSTRAINT "fk_check_in_attempts_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in_attempts" ADD CONSTRAINT "fk_check_in_attempts_registration" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_ins" ADD CONSTRAINT "fk_check_ins_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_ins" ADD CONSTRAINT "fk_check_ins_registration" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_ins" ADD CONSTRAINT "fk_check_ins_session" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_joins" ADD CONSTRAINT "fk_online_joins_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_joins" ADD CONSTRAINT "fk_online_joins_registration" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_joins" ADD CONSTRAINT "fk_online_joins_session" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "online_joins" DROP CONSTRAINT "fk_online_joins_session"`);
    await queryRunner.query(
      `ALTER TABLE "online_joins" DROP CONSTRAINT "fk_online_joins_registration"`,
    );
    await queryRunner.query(`ALTER TABLE "online_joins" DROP CONSTRAINT "fk_online_joins_event"`);
    await queryRunner.query(`ALTER TABLE "check_ins" DROP CONSTRAINT "fk_check_ins_session"`);
    await queryRunner.query(`ALTER TABLE "check_ins" DROP CONSTRAINT "fk_check_ins_registration"`);
    await queryRunner.query(`ALTER TABLE "check_ins" DROP CONSTRAINT "fk_check_ins_event"`);
    await queryRunner.query(
      `ALTER TABLE "check_in_attempts" DROP CONSTRAINT "fk_check_in_attempts_registration"`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in_attempts" DROP CONSTRAINT "fk_check_in_attempts_event"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_online_joins_registration_session"`);
    await queryRunner.query(`DROP INDEX "public"."idx_online_joins_event_session"`);
    await queryRunner.query(`DROP INDEX "public"."idx_online_joins_session"`);
    await queryRunner.query(`DROP TABLE "online_joins"`);
    await queryRunner.query(`DROP INDEX "public"."uq_check_ins_registration_session"`);
    await queryRunner.query(`DROP INDEX "public"."idx_check_ins_event_session"`);
    await queryRunner.query(`DROP INDEX "public"."idx_check_ins_session"`);
    await queryRunner.query(`DROP TABLE "check_ins"`);
    await queryRunner.query(`DROP INDEX "public"."uq_check_in_attempts_event_nonce"`);
    await queryRunner.query(`DROP INDEX "public"."idx_check_in_attempts_event_received"`);
    await queryRunner.query(`DROP INDEX "public"."idx_check_in_attempts_registration"`);
    await queryRunner.query(`DROP TABLE "check_in_attempts"`);
  }
}
