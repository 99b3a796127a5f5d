import { WHOLE_EVENT } from '../session-key';

const iso = (expr: string) =>
  `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The common scan at the door as ONE statement (autocommit) and the request's only round trip:
 * a confirmed in-person registration of this event (found by slug), checked in for the event as
 * a whole. It finds the registration by its QR code (unique everywhere) or else by reference
 * within the event, inserts the check-in with ON CONFLICT DO NOTHING (the unique (registration,
 * session key) row: 20 parallel scans make one check-in), and keeps the attempt row with its
 * nonce and the answer's body, built as check-in-answers.ts builds it (json, keys in the same
 * order: a replay gives it back).
 *
 * It answers no row, and writes nothing, when the scan is anything else (unknown event or code,
 * another event, not confirmed, online, a cancelled event) or its nonce was seen before (a
 * retry: the stored answer is given, and a check-in undone since is not redone): the caller
 * then takes the full path, which words every refusal and replays answers. Also when the
 * check-in is taken by a scan that committed after this statement's snapshot (DO NOTHING, yet
 * the first row is not visible here): the full path reads it afresh. `recorded` is false when
 * the nonce was taken by a twin of this request.
 *
 * Parameters: $1 event slug, $2 code as scanned, $3 reference (normalised, or null when the code
 * cannot be one), $4 received at, $5 scanned at, $6 desk, $7 nonce.
 */
export const DIRECT_CHECK_IN_SQL = `
  WITH event AS (
    SELECT id FROM events WHERE slug = $1 AND status <> 'cancelled'
  ),
  found AS (
    SELECT * FROM (
      SELECT r.*, 0 AS priority FROM registrations r WHERE r.checkin_code = $2
      UNION ALL
      SELECT r.*, 1 FROM registrations r
       WHERE r.event_id = (SELECT id FROM event) AND r.reference = $3
    ) candidates
    ORDER BY priority LIMIT 1
  ),
  admitted AS (
    SELECT f.id, f.event_id, json_build_object(
             'reference', f.reference::text,
             'name', f.given_name || ' ' || f.family_name,
             'organisation', f.organisation,
             'attendanceMode', f.attendance_mode,
             'delegation', d.name) AS person
      FROM found f
      JOIN event e ON e.id = f.event_id
      LEFT JOIN delegations d ON d.id = f.delegation_id
     WHERE f.status = 'confirmed' AND f.attendance_mode = 'in_person'
       AND NOT EXISTS (SELECT 1 FROM check_in_attempts x
                        WHERE x.event_id = f.event_id AND x.nonce = $7)
  ),
  inserted AS (
    INSERT INTO check_ins
      (event_id, registration_id, session_id, session_key, checked_in_at, scanned_at, desk)
    SELECT a.event_id, a.id, NULL, '${WHOLE_EVENT}', $4, $5, $6 FROM admitted a
    ON CONFLICT (registration_id, session_key) DO NOTHING
    RETURNING checked_in_at
  ),
  outcome AS (
    SELECT a.id, a.event_id, a.person, i.checked_in_at IS NOT NULL AS inserted,
           COALESCE(i.checked_in_at, c.checked_in_at) AS at
      FROM admitted a
      LEFT JOIN inserted i ON true
      LEFT JOIN check_ins c ON c.registration_id = a.id AND c.session_key = '${WHOLE_EVENT}'
     WHERE i.checked_in_at IS NOT NULL OR c.checked_in_at IS NOT NULL
  ),
  attempt AS (
    INSERT INTO check_in_attempts
      (event_id, registration_id, session_id, code, result, reason, desk, nonce, scanned_at,
       received_at, response_status, response_body)
    SELECT o.event_id, o.id, NULL, $2,
           CASE WHEN o.inserted THEN 'checked_in' ELSE 'already_checked_in' END, NULL, $6, $7,
           $5, $4, CASE WHEN o.inserted THEN 201 ELSE 200 END,
           CASE WHEN o.inserted
                THEN json_build_object('result', 'checked_in', 'registration', o.person,
                                        'at', ${iso('o.at')})
                ELSE json_build_object('result', 'already_checked_in',
                                        'firstAt', ${iso('o.at')}, 'registration', o.person)
           END
      FROM outcome o
    ON CONFLICT (event_id, nonce) WHERE nonce IS NOT NULL DO NOTHING
    RETURNING id
  )
  SELECT o.id, o.event_id, o.person, o.inserted, o.at,
         EXISTS (SELECT 1 FROM attempt) AS recorded
    FROM outcome o`;
