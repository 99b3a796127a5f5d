import type { StaffRefusal } from './staff-session.service';

/** The staff sign-in texts, a section of both the desk's and the console's catalogs. */
export interface SignInMessages {
  heading: string;
  intro: string;
  tokenLabel: string;
  tokenHint: string;
  submit: string;
  signOut: string;
  signedInAs: (p: { name: string }) => string;
  refusals: Record<StaffRefusal, string>;
}
