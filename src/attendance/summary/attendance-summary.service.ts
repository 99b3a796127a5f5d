import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { modesOf, type AttendanceMode } from '../../events/event.entity';
import { EventsService } from '../../events/events.service';
import {
  ACTIVE_STATUSES,
  STAKEHOLDER_TYPES,
  type RegistrationStatus,
  type StakeholderType,
} from '../../participants/registration.entity';
import { SUMMARY_BY_MODE, SUMMARY_BY_SESSION } from './attendance-summary.sql';

/** Counts of one mode (or one mode and stakeholder type). */
export interface ModeCounts {
  /** Active registrations: pending, confirmed or waitlisted. */
  registered: number;
  confirmed: number;
  waitlisted: number;
  /** Confirmed registrations that attended (see attended-sql.ts for the rule). */
  attended: number;
  /** Confirmed and did not attend. */
  noShows: number;
  /** attended / confirmed; null when nobody is confirmed. */
  rate: number | null;
}

export interface SessionCounts {
  /** Confirmed registrations of the mode that chose the session. */
  confirmed: number;
  /** Confirmed registrations of the mode that attended it, whether they chose it or not. */
  attended: number;
  /** Chose it and did not attend. */
  noShows: number;
  /** (confirmed - noShows) / confirmed: the share of those who chose it who came. */
  rate: number | null;
  /** Online only: minutes imported for the session. */
  minutes?: number;
}

type ByMode<T> = Partial<Record<'inPerson' | 'online', T>>;

export type SessionSummary = {
  id: string;
  title: string;
  startsAt: string;
} & ByMode<SessionCounts>;

export interface AttendanceSummary {
  event: { slug: string; onlineAttendanceMinMinutes: number };
  modes: ByMode<ModeCounts>;
  byStakeholderType: ByMode<Record<StakeholderType, ModeCounts>>;
  sessions: SessionSummary[];
  /** Over confirmed online registrations with minutes known from imported reports. */
  onlineMinutes: { total: number; totalOfAttended: number; averageOfAttended: number | null };
}

/** One group of SUMMARY_BY_MODE: people of one mode, stakeholder type, status and attended. */
interface ModeRow {
  mode: AttendanceMode;
  stakeholder_type: StakeholderType;
  status: RegistrationStatus;
  attended: boolean;
  people: number;
  minutes: number;
  with_minutes: number;
}

interface SessionRow {
  id: string;
  title: string;
  starts_at: Date;
  mode: AttendanceMode | null;
  confirmed: number;
  attended: number;
  no_shows: number;
  minutes_total: number;
}

const keyOf = (mode: AttendanceMode) => (mode === 'in_person' ? 'inPerson' : 'online');
const rateOf = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/** Counts of a set of ModeRows, with the online minutes of its confirmed people. */
function countsOf(rows: ModeRow[]): ModeCounts & { minutes: AttendanceSummary['onlineMinutes'] } {
  const sum = (pick: (row: ModeRow) => number, keep: (row: ModeRow) => boolean) =>
    rows.filter(keep).reduce((total, row) => total + pick(row), 0);
  const people = (row: ModeRow) => row.people;
  const confirmed = (row: ModeRow) => row.status === 'confirmed';
  const attendedConfirmed = (row: ModeRow) => confirmed(row) && row.attended;
  const registered = sum(people, (row) => ACTIVE_STATUSES.includes(row.status));
  const confirmedCount = sum(people, confirmed);
  const attended = sum(people, attendedConfirmed);
  const minutesOfAttended = sum((row) => row.minutes, attendedConfirmed);
  const attendedWithMinutes = sum((row) => row.with_minutes, attendedConfirmed);
  return {
    registered,
    confirmed: confirmedCount,
    waitlisted: sum(people, (row) => row.status === 'waitlisted'),
    attended,
    noShows: confirmedCount - attended,
    rate: rateOf(attended, confirmedCount),
    minutes: {
      total: sum((row) => row.minutes, confirmed),
      totalOfAttended: minutesOfAttended,
      averageOfAttended:
        attendedWithMinutes === 0
          ? null
          : Math.round((minutesOfAttended / attendedWithMinutes) * 10) / 10,
    },
  };
}

/** Counts without the minutes, as the API shows them per mode and stakeholder type. */
function modeCountsOf(rows: ModeRow[]): ModeCounts {
  const { minutes: _minutes, ...counts } = countsOf(rows);
  return counts;
}

/** GET /events/:slug/attendance: added up by PostgreSQL from the event's attendance tallies. */
@Injectable()
export class AttendanceSummaryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async summary(slug: string): Promise<AttendanceSummary> {
    const event = await this.events.findBySlug(slug);
    const params = [event.id, event.onlineAttendanceMinMinutes];
    // One snapshot for both, so the sessions agree with the modes.
    const [byMode, bySession] = await this.dataSource.transaction(
      'REPEATABLE READ',
      async (manager) => [
        await manager.query<ModeRow[]>(SUMMARY_BY_MODE, params),
        await manager.query<SessionRow[]>(SUMMARY_BY_SESSION, params),
      ],
    );
    const modes = modesOf(event.format);
    const summary: AttendanceSummary = {
      event: { slug: event.slug, onlineAttendanceMinMinutes: event.onlineAttendanceMinMinutes },
      modes: {},
      byStakeholderType: {},
      sessions: [],
      onlineMinutes: { total: 0, totalOfAttended: 0, averageOfAttended: null },
    };
    for (const mode of modes) {
      const rows = byMode.filter((r) => r.mode === mode);
      summary.modes[keyOf(mode)] = modeCountsOf(rows);
      summary.byStakeholderType[keyOf(mode)] = Object.fromEntries(
        STAKEHOLDER_TYPES.map((type) => [
          type,
          modeCountsOf(rows.filter((r) => r.stakeholder_type === type)),
        ]),
      ) as Record<StakeholderType, ModeCounts>;
      if (mode === 'online') summary.onlineMinutes = countsOf(rows).minutes;
    }
    summary.sessions = this.sessionsOf(bySession, modes);
    return summary;
  }

  private sessionsOf(rows: SessionRow[], modes: AttendanceMode[]): SessionSummary[] {
    const sessions = new Map<string, SessionSummary>();
    for (const row of rows) {
      let session = sessions.get(row.id);
      if (!session) {
        session = { id: row.id, title: row.title, startsAt: row.starts_at.toISOString() };
        for (const mode of modes) {
          session[keyOf(mode)] = { confirmed: 0, attended: 0, noShows: 0, rate: null };
          if (mode === 'online') session.online!.minutes = 0;
        }
        sessions.set(row.id, session);
      }
      if (!row.mode || !modes.includes(row.mode)) continue;
      session[keyOf(row.mode)] = {
        confirmed: row.confirmed,
        attended: row.attended,
        noShows: row.no_shows,
        rate: rateOf(row.confirmed - row.no_shows, row.confirmed),
        ...(row.mode === 'online' ? { minutes: row.minutes_total } : {}),
      };
    }
    return [...sessions.values()];
  }
}
