import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { attendedSql, EVENT_MINUTES_AGGREGATE } from '../../attendance/attended-sql';
import { EventsService } from '../../events/events.service';
import { csvHead, CrlfRecords, inertCellSql as cell, isoSql as iso, yesNoSql } from './csv';

const REGISTRATION_COLUMNS = [
  'Reference',
  'Status',
  'Attendance mode',
  'Given name',
  'Family name',
  'Email',
  'Organisation',
  'Position',
  'Country',
  'Stakeholder type',
  'Language',
  'Delegation',
  'Head of delegation',
  'Sessions',
  'In list of participants',
  'Photography',
  'Registered at',
  'Confirmed at',
  'Cancelled at',
  'Checked in at',
  'Online minutes',
  'Attended',
];

/** Whether the person attended, by the same rule as the attendance summary. */
const ATTENDED = attendedSql({
  mode: 'r.attendance_mode',
  checkedIn: 'c.checked_in_at IS NOT NULL',
  minutes: 'om.minutes',
  opened: 'oj.opened',
  minMinutes: 'e.online_attendance_min_minutes',
});

const PARTICIPANT_COLUMNS = [
  'Delegation or organisation',
  'Family name',
  'Given name',
  'Position',
  'Organisation',
  'Country',
];

export interface CsvFile {
  filename: string;
  stream: Readable;
}

/**
 * The organiser's exports, streamed by PostgreSQL itself: `COPY (the rows, already formatted as
 * cells) TO STDOUT (FORMAT csv)` on a connection of the pool, piped to the response with
 * backpressure, so a 100,000-row event costs no more memory than a small one and no time is
 * spent turning rows into objects and back into text.
 */
@Injectable()
export class RegistrationExportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async registrations(slug: string): Promise<CsvFile> {
    const event = await this.events.findBySlug(slug);
    return this.copyCsv(
      `${event.slug}-registrations.csv`,
      REGISTRATION_COLUMNS,
      (
        literal,
      ) => `SELECT ${cell('r.reference')}, ${cell('r.status')}, ${cell('r.attendance_mode')},
              ${cell('r.given_name')}, ${cell('r.family_name')}, ${cell('r.email')},
              ${cell('r.organisation')}, ${cell('r.position')}, ${cell('r.country')},
              ${cell('r.stakeholder_type')}, ${cell('r.language')}, ${cell('d.name')},
              ${yesNoSql('r.is_delegation_head')}, ${cell('ss.titles')},
              ${yesNoSql('r.consent_list_of_participants')}, ${yesNoSql('r.consent_photography')},
              ${iso('r.created_at')}, ${iso('r.confirmed_at')}, ${iso('r.cancelled_at')},
              ${iso('c.checked_in_at')}, ${cell('om.minutes')},
              ${yesNoSql(`r.status = 'confirmed' AND ${ATTENDED}`)}
         FROM registrations r
         JOIN events e ON e.id = r.event_id
         LEFT JOIN delegations d ON d.id = r.delegation_id
         LEFT JOIN check_ins c ON c.registration_id = r.id AND c.session_key = 'event'
         LEFT JOIN LATERAL (
                SELECT string_agg(s.title, '; ' ORDER BY s.starts_at) AS titles
                  FROM registration_sessions rs JOIN event_sessions s ON s.id = rs.session_id
                 WHERE rs.registration_id = r.id) ss ON true
         LEFT JOIN LATERAL (
                SELECT ${EVENT_MINUTES_AGGREGATE} AS minutes
                  FROM online_attendance oa WHERE oa.registration_id = r.id) om ON true
         LEFT JOIN LATERAL (
                SELECT EXISTS (SELECT 1 FROM online_joins j WHERE j.registration_id = r.id)
                       AS opened) oj ON true
        WHERE r.event_id = ${literal(event.id)}
        ORDER BY r.created_at, r.id`,
    );
  }

  /**
   * The official list of participants: confirmed people who agreed to appear, grouped by their
   * delegation, or by organisation for those who came alone.
   */
  async listOfParticipants(slug: string): Promise<CsvFile> {
    const event = await this.events.findBySlug(slug);
    return this.copyCsv(
      `${event.slug}-list-of-participants.csv`,
      PARTICIPANT_COLUMNS,
      (literal) => `SELECT ${cell('COALESCE(d.name, r.organisation)')}, ${cell('r.family_name')},
              ${cell('r.given_name')}, ${cell('r.position')}, ${cell('r.organisation')},
              ${cell('r.country')}
         FROM registrations r LEFT JOIN delegations d ON d.id = r.delegation_id
        WHERE r.event_id = ${literal(event.id)} AND r.status = 'confirmed'
          AND r.consent_list_of_participants
        ORDER BY COALESCE(d.name, r.organisation), r.family_name, r.given_name, r.id`,
    );
  }

  /**
   * Runs COPY on a connection taken from the pool and gives the CSV as a stream. The connection
   * goes back to the pool when the COPY has ended; if the download stops early (the client went
   * away, or an error) it is closed instead, since it may still be in the middle of the COPY.
   * COPY takes no bind parameters, hence the quoted literals.
   */
  private async copyCsv(
    filename: string,
    header: string[],
    sql: (literal: (value: string) => string) => string,
  ): Promise<CsvFile> {
    const driver = this.dataSource.driver as PostgresDriver;
    const [client, release] = (await driver.obtainMasterConnection()) as [
      PoolClient,
      (err?: Error | boolean) => void,
    ];
    // A broken connection emits 'error' on the client too; the COPY stream reports it.
    const onError = () => undefined;
    client.on('error', onError);
    let copy;
    try {
      copy = client.query(
        copyTo(`COPY (${sql((v) => client.escapeLiteral(v))}) TO STDOUT WITH (FORMAT csv)`),
      );
    } catch (err) {
      client.off('error', onError);
      release(err as Error);
      throw err;
    }
    const out = new PassThrough();
    out.write(csvHead(header));
    // A failed or cut COPY destroys `out`, so the client sees a cut response, never a
    // complete-looking file.
    pipeline(copy, new CrlfRecords(), out, (err) => {
      client.off('error', onError);
      release(err ?? undefined);
    });
    return { filename, stream: out };
  }
}
