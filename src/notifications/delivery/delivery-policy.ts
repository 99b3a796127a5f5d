/** What a failed send means for the email. */
export type Failure = { permanent: boolean; reason: string };

interface SmtpLikeError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * A permanent refusal is the server saying 5xx about this message or recipient: retrying
 * cannot help. Everything else (connection refused or reset, timeouts, DNS, 4xx "try later")
 * is transient and retried with backoff.
 */
export function classifyFailure(error: unknown): Failure {
  const e = (error ?? {}) as SmtpLikeError;
  const reason = (e.response ?? e.message ?? String(error)).slice(0, 1000);
  const code = e.responseCode;
  return { permanent: typeof code === 'number' && code >= 500 && code < 600, reason };
}

/**
 * Exponential backoff with full jitter: attempt 1 waits up to `baseMs`, attempt 2 up to twice
 * that, and so on, capped at `maxMs`. Jitter spreads retries of a burst so a mail server that
 * comes back is not hit by every email at the same second.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
