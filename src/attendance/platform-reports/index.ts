export { decodeReportBytes } from './decode';
export { parseDurationSeconds } from './duration';
export { normaliseText, rowFingerprint } from './fingerprint';
export { coveredSeconds, mergeIntervals } from './intervals';
export { localToUtc } from './local-time';
export { candidateNames, matchRows } from './match';
export type { MatchResult, PersonAttendance, Registrant } from './match';
export { parseParticipantReport } from './parse-report';
export type { DateOrder, Interval, ParsedReport, ParsedRow, ParseOptions, Platform } from './types';
