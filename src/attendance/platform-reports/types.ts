/** The meeting platforms whose participant reports Convene reads. */
export type Platform = 'zoom' | 'teams';

/** One interval a person spent in the meeting, as one report row states it. */
export interface ParsedRow {
  /** The name cell as written, e.g. Zoom's `Display (Original Name)`. */
  name: string;
  /** The email cell, trimmed; null when blank (guests, phone dial-ins). */
  email: string | null;
  joinedAt: Date;
  leftAt: Date;
  /** The line of the file the row ends on (1-based), for messages to the organiser. */
  rowNumber: number;
  /** Every cell of the row keyed by its header, kept for audit. */
  raw: Record<string, string>;
  /** sha256 of the platform and the row's normalised cells: see {@link rowFingerprint}. */
  fingerprint: string;
}

export interface ParsedReport {
  /** Null only when the file was not recognised as any report at all. */
  platform: Platform | null;
  rows: ParsedRow[];
  /** Readable notes for the organiser: rows skipped and why, assumptions made, or why nothing was read. */
  problems: string[];
}

export type DateOrder = 'MDY' | 'DMY';

export interface ParseOptions {
  /** The event's IANA timezone: report times are local to it and carry no offset. */
  timeZone: string;
  /** Force how `a/b/yy` dates are read; by default it is inferred from the file. */
  dateOrder?: DateOrder;
}

/** Local wall-clock fields, month 1-12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface Interval {
  start: Date;
  end: Date;
}
