import ICAL from 'ical.js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/**
 * Reading back what the renderer wrote, for the unit specs: QR codes decoded from the PNG, calendar
 * entries parsed by a real iCalendar parser. Only the specs import this file.
 */

/** What a QR code PNG holds, or null when no QR code can be read from it. */
export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return code ? code.data : null;
}

export interface ParsedCalendar {
  method: string | null;
  uid: string | null;
  sequence: number | null;
  status: string | null;
  start: Date | null;
  end: Date | null;
  summary: string | null;
  location: string | null;
  url: string | null;
  description: string | null;
}

function text(component: ICAL.Component, name: string): string | null {
  const value: unknown = component.getFirstPropertyValue(name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function time(component: ICAL.Component, name: string): Date | null {
  const value: unknown = component.getFirstPropertyValue(name);
  return value instanceof ICAL.Time ? value.toJSDate() : null;
}

/** Parses an iCalendar text with ical.js (throws when it is not valid iCalendar). */
export function parseCalendar(content: string): ParsedCalendar {
  const calendar = ICAL.Component.fromString(content);
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('No VEVENT in the calendar.');
  const sequence = event.getFirstPropertyValue('sequence');
  return {
    method: text(calendar, 'method'),
    uid: text(event, 'uid'),
    sequence: typeof sequence === 'number' ? sequence : null,
    status: text(event, 'status'),
    start: time(event, 'dtstart'),
    end: time(event, 'dtend'),
    summary: text(event, 'summary'),
    location: text(event, 'location'),
    url: text(event, 'url'),
    description: text(event, 'description'),
  };
}
