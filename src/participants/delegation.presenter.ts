import type { Event } from '../events/event.entity';
import type { Delegation } from './delegation.entity';
import { ACTIVE_STATUSES, type Registration, type RegistrationStatus } from './registration.entity';

export type MemberCounts = Record<RegistrationStatus, number>;

/** One person of a delegation as the head sees them: never their private links. */
export function presentMember(registration: Registration) {
  return {
    registrationId: registration.id,
    givenName: registration.givenName,
    familyName: registration.familyName,
    email: registration.email,
    position: registration.position,
    attendanceMode: registration.attendanceMode,
    status: registration.status,
    reference: registration.reference,
    isHead: registration.isDelegationHead,
  };
}

function presentHead(delegation: Delegation, members: Registration[]) {
  return {
    email: delegation.headEmail,
    givenName: delegation.headGivenName,
    familyName: delegation.headFamilyName,
    position: delegation.headPosition,
    attends: members.some((m) => m.isDelegationHead && ACTIVE_STATUSES.includes(m.status)),
  };
}

/**
 * The delegation as its head sees it (the answer to registering it and the private page):
 * every member with mode, status and reference, and no private token, the head's manage token
 * included (it travels only in the summary email).
 */
export function presentDelegation(
  delegation: Delegation,
  event: Pick<Event, 'slug' | 'title' | 'maxDelegationSize'>,
  members: Registration[],
) {
  return {
    id: delegation.id,
    name: delegation.name,
    organisation: delegation.organisation,
    stakeholderType: delegation.stakeholderType,
    country: delegation.country,
    language: delegation.language,
    head: presentHead(delegation, members),
    event: { slug: event.slug, title: event.title, maxDelegationSize: event.maxDelegationSize },
    members: members.map(presentMember),
    createdAt: delegation.createdAt.toISOString(),
  };
}

/** A line of the staff list: the delegation and how many of its members are in each status. */
export function presentDelegationForStaff(delegation: Delegation, counts: MemberCounts) {
  return {
    id: delegation.id,
    name: delegation.name,
    organisation: delegation.organisation,
    stakeholderType: delegation.stakeholderType,
    country: delegation.country,
    language: delegation.language,
    head: {
      email: delegation.headEmail,
      givenName: delegation.headGivenName,
      familyName: delegation.headFamilyName,
      position: delegation.headPosition,
    },
    memberCounts: counts,
    createdAt: delegation.createdAt.toISOString(),
  };
}

export type DelegationView = ReturnType<typeof presentDelegation>;
export type StaffDelegationView = ReturnType<typeof presentDelegationForStaff>;
