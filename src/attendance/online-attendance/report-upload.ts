import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { DomainError, ValidationFailedError } from '../../common/errors/domain-error';

/** The largest report accepted: a day-long meeting of thousands of rejoins is far below it. */
export const REPORT_MAX_BYTES = 10 * 1024 * 1024;

export interface ReportUpload {
  bytes: Buffer;
  filename: string;
  sessionId: string | undefined;
  /** The extra fields the caller allowed (the console's form sends its CSRF token). */
  extra: Record<string, string>;
}

export class ReportTooLargeError extends DomainError {
  constructor() {
    super(
      'payload_too_large',
      'REPORT_TOO_LARGE',
      `The report is larger than ${REPORT_MAX_BYTES / 1024 / 1024} MB.`,
    );
  }
}

/**
 * Reads the multipart body of an import: one `file` part and an optional `sessionId` field, in
 * any order. Anything else (another content type, no file, a second file) is a 400 naming the
 * field; a file over the limit is a 413.
 */
export async function readReportUpload(
  request: FastifyRequest,
  extraFields: readonly string[] = [],
): Promise<ReportUpload> {
  if (!request.isMultipart()) {
    throw ValidationFailedError.field('file', 'must be sent as multipart/form-data');
  }
  let file: { bytes: Buffer; filename: string } | undefined;
  let sessionId: string | undefined;
  const extra: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          await part.toBuffer();
          throw ValidationFailedError.field(part.fieldname, 'must be the one file field "file"');
        }
        file = { bytes: await part.toBuffer(), filename: part.filename };
      } else if (part.fieldname === 'sessionId') {
        const value = typeof part.value === 'string' ? part.value.trim() : '';
        sessionId = value === '' ? undefined : value;
      } else if (extraFields.includes(part.fieldname) && typeof part.value === 'string') {
        extra[part.fieldname] = part.value;
      } else {
        throw ValidationFailedError.field(part.fieldname, 'is not a field of this form');
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new ReportTooLargeError();
    if (typeof code === 'string' && code.startsWith('FST_')) {
      throw ValidationFailedError.field('file', `cannot be read: ${(error as Error).message}`);
    }
    throw error;
  }
  if (!file) throw ValidationFailedError.field('file', 'is required');
  return { ...file, sessionId, extra };
}
