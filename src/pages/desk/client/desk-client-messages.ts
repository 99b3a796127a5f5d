/** What the desk's script shows; sent to it as JSON in a data attribute of the page. */
export interface DeskClientMessages {
  admitted: string;
  alreadyIn: string;
  /** "since {time}" with {time} replaced by the local time. */
  alreadyInSince: string;
  notAdmitted: string;
  unknownCode: string;
  /** By the service's not_admitted reason. */
  reasons: Record<string, string>;
  queued: string;
  /** "{count} scans not sent yet" */
  unsent: string;
  offline: string;
  online: string;
  searchOffline: string;
  searchNone: string;
  /** Shown under the first 20 when the text matched more than the desk ranks. */
  searchMore: string;
  checkInPerson: string;
  checkedInAt: string;
  sending: string;
  failed: string;
  cameraUnsupported: string;
  cameraError: string;
  cameraStop: string;
  cameraStart: string;
  conflictLine: string;
  /** "of {total} confirmed" */
  ofConfirmed: string;
  invalid: string;
  /** The button under "registered online" that resends the scan with admitOnline. */
  admitInPerson: string;
  /** Shown when that button is pressed without a connection (it is never queued). */
  admitInPersonOffline: string;
}
