import type { Email } from './email.entity';

/** A line of the email log, as organisers see it. */
export function presentEmail(email: Email) {
  return {
    id: email.id,
    kind: email.kind,
    to: email.toAddress,
    status: email.status,
    attempts: email.attempts,
    lastError: email.lastError,
    sentAt: email.sentAt?.toISOString() ?? null,
    messageId: email.messageId,
    registrationId: email.registrationId,
    createdAt: email.createdAt.toISOString(),
  };
}

export type EmailView = ReturnType<typeof presentEmail>;
