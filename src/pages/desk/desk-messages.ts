import type { NotAdmittedReason } from '../../attendance/check-ins/check-in-answers';
import type { SignInMessages } from '../staff/sign-in-messages';
import type { DeskClientMessages } from './client/desk-client-messages';

/** The check-in desk's words, one catalog per language (./locales); a missing key does not compile. */
export interface DeskMessages {
  signIn: SignInMessages;
  title: (p: { event: string }) => string;
  scanHeading: string;
  cameraHint: string;
  codeLabel: string;
  codeHint: string;
  checkIn: string;
  searchHeading: string;
  searchLabel: string;
  searchButton: string;
  countsHeading: string;
  inRoom: string;
  onlineNow: string;
  answerHeading: string;
  answerIdle: string;
  queueHeading: string;
  conflictsHeading: string;
  deskNameLabel: string;
  timesIn: (p: { zone: string }) => string;
  /** Every refusal reason the service can give has its words (checked here, not in the client). */
  client: DeskClientMessages & { reasons: Record<NotAdmittedReason, string> };
}
