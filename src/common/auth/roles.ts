export const ROLES = ['admin', 'organiser', 'checkin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { checkin: 1, organiser: 2, admin: 3 };

/** Roles nest: an admin may do what an organiser may, an organiser what a desk may. */
export function roleSatisfies(held: Role, required: Role): boolean {
  return RANK[held] >= RANK[required];
}

/** Who made a staff request, as the auth guard established it. */
export interface Principal {
  tokenId: string | null;
  name: string;
  role: Role;
  /** Set when the token is limited to one event. */
  eventSlug: string | null;
}
