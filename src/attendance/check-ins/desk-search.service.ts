import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventsService } from '../../events/events.service';
import { normaliseReference } from '../../participants/reference';
import { SEARCH_TEXT } from '../../participants/registrations-query.service';
import { WHOLE_EVENT } from '../session-key';

export const DESK_SEARCH_LIMIT = 20;

export interface DeskSearchItem {
  registrationId: string;
  reference: string;
  status: string;
  attendanceMode: string;
  name: string;
  givenName: string;
  familyName: string;
  organisation: string;
  delegation: string | null;
  checkedIn: boolean;
  checkedInAt: string | null;
}

interface Row {
  id: string;
  reference: string;
  status: string;
  attendance_mode: string;
  given_name: string;
  family_name: string;
  organisation: string;
  delegation: string | null;
  checked_in_at: Date | null;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What makes it fast: the trigram GIN index idx_registrations_search on SEARCH_TEXT (the very
 * expression below, lower(given || family || email || organisation || reference)), which answers
 * LIKE '%нұр%' in any script without reading every row; an exact reference goes through
 * uq_registrations_event_reference. On a small table the planner may prefer a sequential scan
 * (measured: about 11 ms of execution for 10,000 rows, 17–35 ms per HTTP round trip), and it turns
 * to the index as the table grows. Names that start with the text come first (a prefix of the
 * given or family name), then the other matches, at most 20: a desk needs a short list. Queries
 * of one or two characters have no trigram and always scan the event's rows.
 */
const SEARCH = `
  SELECT r.id, r.reference, r.status, r.attendance_mode, r.given_name, r.family_name,
         r.organisation, d.name AS delegation, c.checked_in_at
    FROM registrations r
    LEFT JOIN delegations d ON d.id = r.delegation_id
    LEFT JOIN check_ins c ON c.registration_id = r.id AND c.session_key = '${WHOLE_EVENT}'
   WHERE r.event_id = $1 AND (${SEARCH_TEXT} LIKE $2 OR r.reference = $3)
   ORDER BY (r.reference = $3) DESC,
            (lower(r.given_name) LIKE $4 OR lower(r.family_name) LIKE $4) DESC,
            r.family_name, r.given_name, r.id
   LIMIT ${DESK_SEARCH_LIMIT}`;

@Injectable()
export class DeskSearchService {
  constructor(
    private readonly events: EventsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async search(slug: string, q: string): Promise<{ items: DeskSearchItem[] }> {
    const event = await this.events.findBySlug(slug);
    const text = escapeLike(q.trim().toLowerCase());
    const rows = await this.dataSource.query<Row[]>(SEARCH, [
      event.id,
      `%${text}%`,
      normaliseReference(q).slice(0, 8),
      `${text}%`,
    ]);
    return {
      items: rows.map((row) => ({
        registrationId: row.id,
        reference: row.reference,
        status: row.status,
        attendanceMode: row.attendance_mode,
        name: `${row.given_name} ${row.family_name}`,
        givenName: row.given_name,
        familyName: row.family_name,
        organisation: row.organisation,
        delegation: row.delegation,
        checkedIn: row.checked_in_at !== null,
        checkedInAt: row.checked_in_at?.toISOString() ?? null,
      })),
    };
  }
}
