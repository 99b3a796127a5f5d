import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

const FOLD_EVERY_MS = 10_000;

const KEY = `event_id, session_key, attendance_mode, stakeholder_type, status, chose, checked_in,
             minutes, opened`;

/**
 * Folds the +1/-1 rows of every event that has some into one row per key, in one statement.
 * It deletes only the rows its snapshot sees and sums exactly those: rows appended meanwhile
 * stay for the next fold, and a second fold running at once (another instance) skips the rows
 * the first deleted and sums the rest. The totals read by any snapshot never change.
 */
export const FOLD_TALLIES_SQL = `
  WITH unfolded AS (
    SELECT DISTINCT event_id FROM attendance_tallies WHERE NOT folded
  ), gone AS (
    DELETE FROM attendance_tallies t USING unfolded u WHERE t.event_id = u.event_id
    RETURNING t.*
  ), inserted AS (
    INSERT INTO attendance_tallies (${KEY}, people, folded)
    SELECT ${KEY}, sum(people), true FROM gone
     GROUP BY ${KEY} HAVING sum(people) <> 0
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT count(*) FROM inserted)::int AS kept`;

/**
 * Keeps attendance_tallies short: the triggers append two rows per change (a check-in at the
 * door, a join), and the summary reads every row of its event. Every instance folds every
 * 10 seconds; they need no coordination.
 */
@Injectable()
export class AttendanceTalliesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AttendanceTallies');
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Folds now; answers how many rows were replaced and by how many. */
  async fold(): Promise<{ deleted: number; kept: number }> {
    const [counts] =
      await this.dataSource.query<{ deleted: number; kept: number }[]>(FOLD_TALLIES_SQL);
    return counts;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.fold().catch((error: unknown) => {
        this.logger.warn(`Folding attendance tallies failed, retrying shortly: ${String(error)}`);
      });
    }, FOLD_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
