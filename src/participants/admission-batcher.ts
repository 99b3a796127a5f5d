import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../database/postgres-errors';
import { MetricsService } from '../metrics/metrics.service';
import {
  type AdmissionInput,
  BATCH_ADMISSION_SQL,
  type BatchAdmissionRow,
} from './batch-admission.sql';
import {
  SINGLE_ADMISSION_SQL,
  singleAdmissionParams,
  type SingleAdmissionRow,
} from './single-admission.sql';

/** At most this many people in one statement. */
const MAX_BATCH = 64;

interface Waiting {
  person: AdmissionInput;
  now: Date;
  resolve: (row: SingleAdmissionRow | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Admits people with no session choices (and no Idempotency-Key), one statement per event at a
 * time per instance: the first person of a quiet event goes at once, alone; those who arrive
 * while a statement for their event runs wait for it and then go together, in arrival order
 * (batch-admission.sql.ts). Nobody waits for a timer, and under a rush one lock of the event
 * admits a whole batch instead of one person.
 *
 * Each person gets what admitting them alone would give: the row of SINGLE_ADMISSION_SQL, or
 * its error. Duplicates, and everyone of a batch that failed, are admitted alone again, so
 * that the unique index and the caller's handling of its violations answer them as always.
 */
@Injectable()
export class AdmissionBatcher {
  private readonly logger = new Logger('AdmissionBatcher');
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly batchSizes: Histogram;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    metrics: MetricsService,
  ) {
    this.batchSizes = metrics.histogram(
      'convene_admission_batch_size',
      'People admitted by one admission statement (1: alone).',
      [1, 2, 4, 8, 16, 32, 64],
    );
  }

  /** The admission's row (undefined when the event does not exist), as SINGLE_ADMISSION_SQL's. */
  admit(
    eventId: string,
    person: AdmissionInput,
    now: Date,
  ): Promise<SingleAdmissionRow | undefined> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(eventId);
      if (queue) {
        queue.push({ person, now, resolve, reject });
        return;
      }
      this.waiting.set(eventId, []);
      void this.drain(eventId, [{ person, now, resolve, reject }]);
    });
  }

  /** Runs the first batch, then whoever queued meanwhile, until nobody waits for this event. */
  private async drain(eventId: string, first: Waiting[]): Promise<void> {
    let batch = first;
    try {
      while (batch.length > 0) {
        await this.run(eventId, batch);
        const queue = this.waiting.get(eventId) ?? [];
        batch = queue.splice(0, MAX_BATCH);
        if (queue.length === 0 && batch.length === 0) this.waiting.delete(eventId);
      }
    } catch (error) {
      // run() answers every person itself; this is for a bug, so that nobody waits forever.
      const left = [...batch, ...(this.waiting.get(eventId) ?? [])];
      this.waiting.delete(eventId);
      for (const w of left) w.reject(error);
    }
  }

  private async run(eventId: string, batch: Waiting[]): Promise<void> {
    this.batchSizes.observe(batch.length);
    if (batch.length === 1) return this.alone(eventId, batch[0]);
    let rows: BatchAdmissionRow[];
    try {
      rows = await this.dataSource.query<BatchAdmissionRow[]>(BATCH_ADMISSION_SQL, [
        eventId,
        JSON.stringify(batch.map((w, n) => ({ ...w.person, n }))),
        // The latest arrival's clock: nobody who came after the window closed gets in.
        batch[batch.length - 1].now,
      ]);
    } catch (error) {
      // A unique violation (a duplicate committed meanwhile, a reference clash) or any other
      // failure undid the whole batch: each person alone gets their own answer or error.
      if (!isUniqueViolation(error, 'uq_registrations_active_email')) {
        this.logger.warn(
          `An admission batch of ${batch.length} failed, admitting each alone: ${String(error)}`,
        );
      }
      await Promise.all(batch.map((w) => this.alone(eventId, w)));
      return;
    }
    const byN = new Map(rows.map((row) => [row.n, row]));
    const again: Waiting[] = [];
    batch.forEach((w, n) => {
      const row = byN.get(n);
      if (row?.duplicate) again.push(w);
      else w.resolve(row);
    });
    await Promise.all(again.map((w) => this.alone(eventId, w)));
  }

  private async alone(eventId: string, w: Waiting): Promise<void> {
    try {
      const [row] = await this.dataSource.query<SingleAdmissionRow[]>(
        SINGLE_ADMISSION_SQL[w.person.attendance_mode],
        singleAdmissionParams(eventId, w.person, w.now),
      );
      w.resolve(row);
    } catch (error) {
      w.reject(error);
    }
  }
}
