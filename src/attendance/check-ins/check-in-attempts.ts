import type { EntityManager } from 'typeorm';
import type { CheckInResult } from '../check-in-attempt.entity';
import type { CheckInAnswer, NotAdmittedReason } from './check-in-answers';

/** What the desk sent, with the server's time of receipt. */
export interface ScanInput {
  eventId: string;
  code: string;
  sessionId: string | null;
  desk: string | null;
  nonce: string | null;
  scannedAt: Date | null;
  receivedAt: Date;
}

interface StoredAnswer {
  result: CheckInResult;
  reason: NotAdmittedReason | null;
  registration_id: string | null;
  response_status: number;
  response_body: Record<string, unknown>;
}

const asAnswer = (row: StoredAnswer): CheckInAnswer => ({
  status: row.response_status,
  result: row.result,
  reason: row.reason,
  registrationId: row.registration_id,
  body: row.response_body,
});

/** The answer first given to this nonce at this event, if any. */
export async function storedAnswer(
  manager: EntityManager,
  eventId: string,
  nonce: string,
): Promise<CheckInAnswer | null> {
  const rows = await manager.query<StoredAnswer[]>(
    `SELECT result, reason, registration_id, response_status, response_body
       FROM check_in_attempts WHERE event_id = $1 AND nonce = $2`,
    [eventId, nonce],
  );
  return rows.length > 0 ? asAnswer(rows[0]) : null;
}

/**
 * Keeps the attempt and its answer. Returns false when the nonce is taken: a twin of this
 * request (same desk, same scan) got there first, and its answer is the one to give.
 */
export async function recordAttempt(
  manager: EntityManager,
  scan: ScanInput,
  answer: CheckInAnswer,
): Promise<boolean> {
  const inserted = await manager.query<{ id: string }[]>(
    `INSERT INTO check_in_attempts
       (event_id, registration_id, session_id, code, result, reason, desk, nonce, scanned_at,
        received_at, response_status, response_body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (event_id, nonce) WHERE nonce IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      scan.eventId,
      answer.registrationId,
      scan.sessionId,
      scan.code,
      answer.result,
      answer.reason,
      scan.desk,
      scan.nonce,
      scan.scannedAt,
      scan.receivedAt,
      answer.status,
      JSON.stringify(answer.body),
    ],
  );
  return inserted.length > 0;
}
