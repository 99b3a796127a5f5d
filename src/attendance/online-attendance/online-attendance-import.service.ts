import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { TransactionRunner } from '../../database/transaction-runner';
import type { Event } from '../../events/event.entity';
import { EventsService } from '../../events/events.service';
import { SessionsService } from '../../events/sessions/sessions.service';
import { ACTIVE_STATUSES } from '../../participants/registration.entity';
import {
  matchRows,
  parseParticipantReport,
  type ParsedRow,
  type Platform,
  type Registrant,
} from '../platform-reports';
import { sessionKeyOf } from '../session-key';

export interface ImportAnswer {
  /** Participant rows the file holds (after the parser skipped what it could not read). */
  rows: number;
  /** Registrations this file's rows belong to. */
  matched: number;
  /** Each person of this file no registration fits, once. */
  unmatched: { name: string; email: string | null }[];
  /** Rows of this file not stored because they were stored already: an identical row earlier
   * in the file, or the same row from an earlier import (so a second import says all of them). */
  duplicatesIgnored: number;
  problems: string[];
}

export class ReportNotReadableError extends DomainError {
  constructor(problems: string[]) {
    super(
      'invalid',
      'REPORT_NOT_READABLE',
      problems[0] ?? 'The file is not a participant report.',
      {
        problems,
      },
    );
  }
}

const INSERT_ROWS = `
  INSERT INTO online_attendance_rows
    (event_id, session_id, session_key, platform, row_number, name, email, joined_at, left_at,
     raw, fingerprint)
  SELECT $1, $2, $3, $4, x.row_number, x.name, x.email, x.joined_at, x.left_at, x.raw,
         x.fingerprint
    FROM jsonb_to_recordset($5::jsonb) AS x(row_number int, name text, email text,
         joined_at timestamptz, left_at timestamptz, raw jsonb, fingerprint text)
  ON CONFLICT (event_id, session_key, fingerprint) DO NOTHING
  RETURNING fingerprint`;

/**
 * Imports a meeting platform's participant report: every parsed row is stored once (unique
 * fingerprint per event and session key), then each person's minutes are recomputed from ALL
 * the stored rows of that event and session and replace what was there. Importing the same
 * file twice stores nothing new and computes the same totals.
 */
@Injectable()
export class OnlineAttendanceImportService {
  constructor(
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
    private readonly transactions: TransactionRunner,
  ) {}

  async import(slug: string, bytes: Buffer, sessionId: string | undefined): Promise<ImportAnswer> {
    const event = await this.events.findBySlug(slug);
    const session = sessionId ? await this.sessions.get(slug, sessionId) : null;
    const report = parseParticipantReport(bytes, { timeZone: event.timezone });
    if (report.platform === null) throw new ReportNotReadableError(report.problems);
    const platform = report.platform;
    const key = sessionKeyOf(session?.id);

    return this.transactions.run(async (manager) => {
      // One import at a time per event and session: each recomputes from every stored row.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `online-attendance:${event.id}:${key}`,
      ]);
      const inserted = await this.store(
        manager,
        event,
        session?.id ?? null,
        key,
        platform,
        report.rows,
      );
      const registrants = await this.registrantsOf(manager, event);
      const fromFile = matchRows(report.rows, registrants);
      await this.recompute(manager, event, session?.id ?? null, key, registrants);
      return {
        rows: report.rows.length,
        matched: fromFile.matched.size,
        unmatched: fromFile.unmatched,
        duplicatesIgnored: report.rows.length - inserted,
        problems: report.problems,
      };
    });
  }

  private async store(
    manager: EntityManager,
    event: Event,
    sessionId: string | null,
    key: string,
    platform: Platform,
    rows: ParsedRow[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const payload = rows.map((r) => ({
      row_number: r.rowNumber,
      name: r.name,
      email: r.email,
      joined_at: r.joinedAt.toISOString(),
      left_at: r.leftAt.toISOString(),
      raw: r.raw,
      fingerprint: r.fingerprint,
    }));
    const returned: unknown[] = await manager.query(INSERT_ROWS, [
      event.id,
      sessionId,
      key,
      platform,
      JSON.stringify(payload),
    ]);
    return returned.length;
  }

  /** Active registrations of the event, of any mode, one per email (the unique index says so). */
  private async registrantsOf(manager: EntityManager, event: Event): Promise<Registrant[]> {
    const rows: { id: string; email: string; name: string }[] = await manager.query(
      `SELECT id, email, given_name || ' ' || family_name AS name
         FROM registrations WHERE event_id = $1 AND status = ANY($2::text[])
        ORDER BY created_at, id`,
      [event.id, ACTIVE_STATUSES],
    );
    return rows.map((r) => ({ registrationId: r.id, email: r.email, name: r.name }));
  }

  /** Matches every stored row again and replaces the totals of this event and session key. */
  private async recompute(
    manager: EntityManager,
    event: Event,
    sessionId: string | null,
    key: string,
    registrants: Registrant[],
  ): Promise<void> {
    const stored: {
      name: string;
      email: string | null;
      joined_at: Date;
      left_at: Date;
      row_number: number;
      fingerprint: string;
    }[] = await manager.query(
      `SELECT name, email, joined_at, left_at, row_number, fingerprint
           FROM online_attendance_rows WHERE event_id = $1 AND session_key = $2
          ORDER BY joined_at, fingerprint`,
      [event.id, key],
    );
    const result = matchRows(
      stored.map((r) => ({
        name: r.name,
        email: r.email,
        joinedAt: r.joined_at,
        leftAt: r.left_at,
        rowNumber: r.row_number,
        raw: {},
        fingerprint: r.fingerprint,
      })),
      registrants,
    );
    const owners = [...result.matched].flatMap(([registrationId, p]) =>
      p.fingerprints.map((fingerprint) => ({ registrationId, fingerprint })),
    );
    await manager.query(
      `UPDATE online_attendance_rows o SET registration_id = m.registration_id
         FROM (SELECT f.fingerprint, x.registration_id
                 FROM online_attendance_rows f
                 LEFT JOIN jsonb_to_recordset($3::jsonb) AS x(fingerprint text, registration_id uuid)
                   ON x.fingerprint = f.fingerprint
                WHERE f.event_id = $1 AND f.session_key = $2) m
        WHERE o.event_id = $1 AND o.session_key = $2 AND o.fingerprint = m.fingerprint
          AND o.registration_id IS DISTINCT FROM m.registration_id`,
      [
        event.id,
        key,
        JSON.stringify(
          owners.map((o) => ({ fingerprint: o.fingerprint, registration_id: o.registrationId })),
        ),
      ],
    );
    const totals = [...result.matched].map(([registrationId, p]) => ({
      registration_id: registrationId,
      minutes: p.minutes,
      seconds: Math.round(p.seconds),
      intervals: p.intervals.map((i) => ({
        start: i.start.toISOString(),
        end: i.end.toISOString(),
      })),
      first_joined_at: p.intervals[0].start.toISOString(),
      last_left_at: p.intervals[p.intervals.length - 1].end.toISOString(),
    }));
    // Replace: people no longer matched lose their row; the others are upserted, and a row
    // whose totals did not change is left alone (so a repeated import changes nothing at all).
    await manager.query(
      `DELETE FROM online_attendance
        WHERE event_id = $1 AND session_key = $2 AND NOT (registration_id = ANY($3::uuid[]))`,
      [event.id, key, totals.map((t) => t.registration_id)],
    );
    if (totals.length === 0) return;
    await manager.query(
      `INSERT INTO online_attendance AS oa
         (event_id, session_id, session_key, registration_id, minutes, seconds, intervals,
          first_joined_at, last_left_at, updated_at)
       SELECT $1, $2, $3, x.registration_id, x.minutes, x.seconds, x.intervals,
              x.first_joined_at, x.last_left_at, now()
         FROM jsonb_to_recordset($4::jsonb) AS x(registration_id uuid, minutes int, seconds int,
              intervals jsonb, first_joined_at timestamptz, last_left_at timestamptz)
       ON CONFLICT (registration_id, session_key) DO UPDATE
         SET minutes = EXCLUDED.minutes, seconds = EXCLUDED.seconds,
             intervals = EXCLUDED.intervals, first_joined_at = EXCLUDED.first_joined_at,
             last_left_at = EXCLUDED.last_left_at, updated_at = EXCLUDED.updated_at
         WHERE (oa.minutes, oa.seconds, oa.intervals, oa.first_joined_at, oa.last_left_at)
               IS DISTINCT FROM (EXCLUDED.minutes, EXCLUDED.seconds, EXCLUDED.intervals,
                                 EXCLUDED.first_joined_at, EXCLUDED.last_left_at)`,
      [event.id, sessionId, key, JSON.stringify(totals)],
    );
  }
}
