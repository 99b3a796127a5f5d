import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, isUUID, Max, MaxLength, Min } from 'class-validator';
import { ValidationFailedError } from '../errors/domain-error';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset cursor is the sort key of the last row, opaque to clients. */
export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export type CursorValueKind = 'timestamp' | 'uuid';

const CURSOR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isCursorValue(value: unknown, kind: CursorValueKind): boolean {
  if (typeof value !== 'string') return false;
  if (kind === 'uuid') return isUUID(value);
  const date = new Date(value);
  return (
    CURSOR_TIMESTAMP.test(value) && !Number.isNaN(date.getTime()) && date.toISOString() === value
  );
}

/**
 * Decodes a cursor and checks the kind of each value, so a forged cursor is a 400 naming
 * `cursor` here instead of a database error later.
 */
export function decodeCursor(cursor: string, kinds: CursorValueKind[]): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (
    !Array.isArray(values) ||
    values.length !== kinds.length ||
    !values.every((value, i) => isCursorValue(value, kinds[i]))
  ) {
    throw ValidationFailedError.field('cursor', 'is not a cursor this list gave out');
  }
  return values as string[];
}

/**
 * Fetches limit + 1 rows to know whether there is a next page without counting.
 * `keyOf` gives the sort key of a row, in the order the query sorts by.
 */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => string[],
  present: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(present),
    nextCursor: hasMore ? encodeCursor(keyOf(pageRows[pageRows.length - 1])) : null,
  };
}
