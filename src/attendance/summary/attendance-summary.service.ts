import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { modesOf, type AttendanceMode } from '../../events/event.entity';
import { EventsService } from '../../events/events.service';
import { STAKEHOLDER_TYPES, type StakeholderType } from '../../participants/registration.entity';
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

interface ModeRow {
  mode: AttendanceMode;
  stakeholder_type: StakeholderType | null;
  all_types: boolean;
  registered: number;
  confirmed: number;
  waitlisted: number;
  attended: number;
  minutes_total: number;
  minutes_attended: number;
  minutes_average: number | null;
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

function countsOf(row: ModeRow | undefined): ModeCounts {
  const r = row ?? { registered: 0, confirmed: 0, waitlisted: 0, attended: 0 };
  return {
    registered: r.registered,
    confirmed: r.confirmed,
    waitlisted: r.waitlisted,
    attended: r.attended,
    noShows: r.confirmed - r.attended,
    rate: rateOf(r.attended, r.confirmed),
  };
}

/** GET /events/:slug/attendance: computed by PostgreSQL in two aggregate queries. */
@Injectable()
export class AttendanceSummaryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async summary(slug: string): Promise<AttendanceSummary> {
    const event = await this.events.findBySlug(slug);
    const params = [event.id, event.onlineAttendanceMinMinutes];
    const [byMode, bySession] = await Promise.all([
      this.dataSource.query<ModeRow[]>(SUMMARY_BY_MODE, params),
      this.dataSource.query<SessionRow[]>(SUMMARY_BY_SESSION, params),
    ]);
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
      const total = rows.find((r) => r.all_types);
      summary.modes[keyOf(mode)] = countsOf(total);
      summary.byStakeholderType[keyOf(mode)] = Object.fromEntries(
        STAKEHOLDER_TYPES.map((type) => [
          type,
          countsOf(rows.find((r) => !r.all_types && r.stakeholder_type === type)),
        ]),
      ) as Record<StakeholderType, ModeCounts>;
      if (mode === 'online' && total) {
        summary.onlineMinutes = {
          total: total.minutes_total,
          totalOfAttended: total.minutes_attended,
          averageOfAttended: total.minutes_average,
        };
      }
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
