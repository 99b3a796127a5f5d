const UNITS: Record<string, number> = {
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
};

/**
 * Reads the duration cells the platforms write, in seconds: Zoom's bare minutes (`45`),
 * Teams' `1h 2m 3s` or `10m 59s`, and `62 min`, `1 hr 5 mins`, `01:02:03`, `47:03`.
 * Returns null, never zero, for anything else: an unknown duration is not an absence.
 */
export function parseDurationSeconds(cell: string): number | null {
  const text = cell.trim().toLowerCase();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 60);
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(text);
  if (clock) {
    const [h, m, s] =
      clock[1] === undefined ? [0, +clock[2], +clock[3]] : [+clock[1], +clock[2], +clock[3]];
    return m < 60 && s < 60 ? h * 3600 + m * 60 + s : null;
  }
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)/g;
  let total = 0;
  let consumed = '';
  for (const m of text.matchAll(part)) {
    const unit = UNITS[m[2]];
    if (unit === undefined) return null;
    total += Number(m[1]) * unit;
    consumed += m[0];
  }
  if (consumed === '' || consumed.replace(/\s/g, '') !== text.replace(/\s/g, '')) return null;
  return Math.round(total);
}
