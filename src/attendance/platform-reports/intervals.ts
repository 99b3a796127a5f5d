import type { Interval } from './types';

/**
 * Sorts and merges intervals: overlapping ones, and ones that touch (one ends the instant
 * the next begins), become one. The input is not changed.
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime(),
  );
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged.at(-1);
    if (last && start.getTime() <= last.end.getTime()) {
      if (end > last.end) last.end = new Date(end.getTime());
    } else {
      merged.push({ start: new Date(start.getTime()), end: new Date(end.getTime()) });
    }
  }
  return merged;
}

/** Seconds covered by intervals that are already merged (no overlaps). */
export function coveredSeconds(merged: readonly Interval[]): number {
  return merged.reduce((s, i) => s + (i.end.getTime() - i.start.getTime()) / 1000, 0);
}
