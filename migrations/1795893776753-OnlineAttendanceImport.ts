import { MigrationInterface, QueryRunner } from 'typeorm';

export class OnlineAttendanceImport1795893776753 implements MigrationInterface {
  name = 'OnlineAttendanceImport1795893776753';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "online_attendance_rows" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "session_id" uuid, "session_key" character varying(36) NOT NULL, "platform" character varying(16) NOT NULL, "row_number" integer NOT NULL, "name" text NOT NULL, "email" text, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL, "left_at" TIMESTAMP WITH TIME ZONE NOT NULL, "raw" jsonb NOT NULL, "fingerprint" character(64) NOT NULL, "registration_id" uuid, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_online_attendance_rows_fingerprint" CHECK ("fingerprint" ~ '^[0-9a-f]{64}$'), CONSTRAINT "chk_online_attendance_rows_order" CHECK ("left_at" >= "joined_at"), CONSTRAINT "chk_online_attendance_rows_platform" CHECK ("platform" IN ('zoom', 'teams')), CONSTRAINT "chk_online_attendance_rows_session_key" CHECK ("session_key" = COALESCE("session_id"::text, 'event')), CONSTRAINT "pk_online_attendance_rows" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_online_attendance_rows_session" ON "online_attendance_rows"  ("session_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_online_attendance_rows_registration" ON "online_attendance_rows"  ("registration_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_online_attendance_rows_fingerprint" ON "online_attendance_rows"  ("event_id", "session_key", "fingerprint") `,
    );
    await queryRunner.query(
      `CREATE TABLE "online_attendance" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "registration_id" uuid NOT NULL, "session_id" uuid, "session_key" character varying(36) NOT NULL, "minutes" integer NOT NULL, "seconds" integer NOT NULL, "intervals" jsonb NOT NULL, "first_joined_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_left_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "chk_online_attendance_order" CHECK ("last_left_at" >= "first_joined_at"), CONSTRAINT "chk_online_attendance_minutes" CHECK ("minutes" >= 0 AND "seconds" >= 0), CONSTRAINT "chk_online_attendance_session_key" CHECK ("session_key" = COALESCE("session_id"::text, 'event')), CONSTRAINT "pk_online_attendance" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_online_attendance_session" ON "online_attendance"  ("session_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_online_attendance_event_session" ON "online_attendance"  ("event_id", "session_key") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_online_attendance_registration_session" ON "online_attendance"  ("registration_id", "session_key") `,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance_rows" ADD CONSTRAINT "fk_online_attendance_rows_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance_rows" ADD CONSTRAINT "fk_online_attendance_rows_session" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance_rows" ADD CONSTRAINT "fk_online_attendance_rows_registration" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance" ADD CONSTRAINT "fk_online_attendance_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance" ADD CONSTRAINT "fk_online_attendance_registration" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance" ADD CONSTRAINT "fk_online_attendance_session" FOREIGN KEY ("session_id") REFERENCES "event_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "online_attendance" DROP CONSTRAINT "fk_online_attendance_session"`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance" DROP CONSTRAINT "fk_online_attendance_registration"`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance" DROP CONSTRAINT "fk_online_attendance_event"`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance_rows" DROP CONSTRAINT "fk_online_attendance_rows_registration"`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance_rows" DROP CONSTRAINT "fk_online_attendance_rows_session"`,
    );
    await queryRunner.query(
      `ALTER TABLE "online_attendance_rows" DROP CONSTRAINT "fk_online_attendance_rows_event"`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_online_attendance_registration_session"`);
    await queryRunner.query(`DROP INDEX "public"."idx_online_attendance_event_session"`);
    await queryRunner.query(`DROP INDEX "public"."idx_online_attendance_session"`);
    await queryRunner.query(`DROP TABLE "online_attendance"`);
    await queryRunner.query(`DROP INDEX "public"."uq_online_attendance_rows_fingerprint"`);
    await queryRunner.query(`DROP INDEX "public"."idx_online_attendance_rows_registration"`);
    await queryRunner.query(`DROP INDEX "public"."idx_online_attendance_rows_session"`);
    await queryRunner.query(`DROP TABLE "online_attendance_rows"`);
  }
}
