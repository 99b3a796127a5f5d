import type { EmailRequest } from '../notifications/email-request';
import type { Delegation } from './delegation.entity';
import type { Registration } from './registration.entity';

export type SummaryReason = 'created' | 'member_added' | 'member_cancelled';

/**
 * The head's summary: every member's name, mode, status and reference as they are at this
 * change, frozen in the facts. The manage link is not copied into the outbox: the renderer takes
 * it from the delegation, as it takes a registrant's links from the registration.
 * One summary per change: `created` once per delegation, the others once per member changed.
 */
export function delegationSummary(
  delegation: Delegation,
  members: Registration[],
  reason: SummaryReason,
  changedRegistrationId?: string,
): EmailRequest {
  const change = changedRegistrationId ? `${reason}:${changedRegistrationId}` : reason;
  return {
    kind: 'delegation_summary',
    eventId: delegation.eventId,
    registrationId: null,
    delegationId: delegation.id,
    to: delegation.headEmail,
    language: delegation.language,
    dedupeKey: `delegation_summary:${delegation.id}:${change}`,
    facts: {
      reason,
      ...(changedRegistrationId ? { registrationId: changedRegistrationId } : {}),
      delegationName: delegation.name,
      members: members.map((m) => ({
        givenName: m.givenName,
        familyName: m.familyName,
        attendanceMode: m.attendanceMode,
        status: m.status,
        reference: m.reference,
        isHead: m.isDelegationHead,
      })),
    },
  };
}
