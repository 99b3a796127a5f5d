import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { attendedSql, EVENT_MINUTES_AGGREGATE } from '../../attendance/attended-sql';
import { EventsService } from '../../events/events.service';
import { csvStream } from './csv';

/** Rows fetched per query: big enough to be quick, small enough to keep memory flat. */
const BATCH = 1000;

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
 * The organiser's exports, streamed: rows are read in keyset batches straight into the CSV
 * writer, so a 100,000-row event costs no more memory than a small one.
 */
@Injectable()
export class RegistrationExportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async registrations(slug: string): Promise<CsvFile> {
    const event = await this.events.findBySlug(slug);
    const dataSource = this.dataSource;
    async function* rows() {
      // created_at is compared as text at full (microsecond) precision: a JS Date would round it.
      let after: [string, string] = ['-infinity', '00000000-0000-0000-0000-000000000000'];
      for (;;) {
        const batch: Record<string, unknown>[] = await dataSource.query(
          `SELECT r.id, r.created_at::text AS cursor_at, r.reference, r.status, r.attendance_mode,
                  r.given_name, r.family_name, r.email, r.organisation, r.position, r.country,
                  r.stakeholder_type, r.language, d.name AS delegation, r.is_delegation_head,
                  (SELECT string_agg(s.title, '; ' ORDER BY s.starts_at)
                     FROM registration_sessions rs JOIN event_sessions s ON s.id = rs.session_id
                    WHERE rs.registration_id = r.id) AS sessions,
                  r.consent_list_of_participants, r.consent_photography,
                  r.created_at, r.confirmed_at, r.cancelled_at, c.checked_in_at, om.minutes,
                  r.status = 'confirmed' AND ${ATTENDED} AS attended
             FROM registrations r
             JOIN events e ON e.id = r.event_id
             LEFT JOIN delegations d ON d.id = r.delegation_id
             LEFT JOIN check_ins c ON c.registration_id = r.id AND c.session_key = 'event'
             LEFT JOIN LATERAL (
                    SELECT ${EVENT_MINUTES_AGGREGATE} AS minutes
                      FROM online_attendance oa WHERE oa.registration_id = r.id) om ON true
             LEFT JOIN LATERAL (
                    SELECT EXISTS (SELECT 1 FROM online_joins j WHERE j.registration_id = r.id)
                           AS opened) oj ON true
            WHERE r.event_id = $1 AND (r.created_at, r.id) > ($2::timestamptz, $3::uuid)
            ORDER BY r.created_at, r.id
            LIMIT ${BATCH}`,
          [event.id, ...after],
        );
        for (const r of batch) {
          yield [
            r.reference,
            r.status,
            r.attendance_mode,
            r.given_name,
            r.family_name,
            r.email,
            r.organisation,
            r.position,
            r.country,
            r.stakeholder_type,
            r.language,
            r.delegation,
            r.is_delegation_head ? 'yes' : 'no',
            r.sessions,
            r.consent_list_of_participants ? 'yes' : 'no',
            r.consent_photography ? 'yes' : 'no',
            r.created_at,
            r.confirmed_at,
            r.cancelled_at,
            r.checked_in_at,
            r.minutes,
            r.attended ? 'yes' : 'no',
          ];
        }
        if (batch.length < BATCH) return;
        const last = batch[batch.length - 1];
        after = [last.cursor_at as string, last.id as string];
      }
    }
    return {
      filename: `${event.slug}-registrations.csv`,
      stream: csvStream(REGISTRATION_COLUMNS, rows()),
    };
  }

  /**
   * The official list of participants: confirmed people who agreed to appear, grouped by their
   * delegation, or by organisation for those who came alone.
   */
  async listOfParticipants(slug: string): Promise<CsvFile> {
    const event = await this.events.findBySlug(slug);
    const dataSource = this.dataSource;
    async function* rows() {
      let after: string[] = ['', '', '', '00000000-0000-0000-0000-000000000000'];
      for (;;) {
        const batch: Record<string, string>[] = await dataSource.query(
          `SELECT r.id, COALESCE(d.name, r.organisation) AS grp, r.family_name, r.given_name,
                  r.position, r.organisation, r.country
             FROM registrations r LEFT JOIN delegations d ON d.id = r.delegation_id
            WHERE r.event_id = $1 AND r.status = 'confirmed' AND r.consent_list_of_participants
              AND (COALESCE(d.name, r.organisation), r.family_name, r.given_name, r.id) > ($2, $3, $4, $5::uuid)
            ORDER BY COALESCE(d.name, r.organisation), r.family_name, r.given_name, r.id
            LIMIT ${BATCH}`,
          [event.id, ...after],
        );
        for (const r of batch)
          yield [r.grp, r.family_name, r.given_name, r.position, r.organisation, r.country];
        if (batch.length < BATCH) return;
        const last = batch[batch.length - 1];
        after = [last.grp, last.family_name, last.given_name, last.id];
      }
    }
    return {
      filename: `${event.slug}-list-of-participants.csv`,
      stream: csvStream(PARTICIPANT_COLUMNS, rows()),
    };
  }
}
