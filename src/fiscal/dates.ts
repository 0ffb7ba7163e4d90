/**
 * Calendar dates as the fiscal formats write them, and the Lisbon calendar day
 * of an instant (fiscal documents follow Portuguese civil time, not UTC).
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
// An offset is required: without one the instant, and so its Lisbon day, is ambiguous.
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

const lisbonCalendar = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Lisbon',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** A real date from "YYYY-MM-DD", or null. */
export function parseIsoDate(text: unknown): CalendarDate | null {
  return typeof text === 'string' ? realDate(ISO_DATE.exec(text)) : null;
}

/** A real date from "YYYYMMDD" (the QR code's form), or null. */
export function parseCompactDate(text: unknown): CalendarDate | null {
  return typeof text === 'string' ? realDate(COMPACT_DATE.exec(text)) : null;
}

/** "YYYY-MM-DD" of a calendar date. */
export function formatIsoDate(date: CalendarDate): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');

  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** The instant of an ISO 8601 date-time with a UTC offset, or null. */
export function parseInstant(text: unknown): Date | null {
  if (typeof text !== 'string' || !ISO_INSTANT.test(text)) return null;

  const instant = new Date(text);

  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** "YYYY-MM-DD" of the day the instant falls on in Lisbon (WET/WEST). */
export function lisbonDay(instant: Date): string {
  const parts = lisbonCalendar.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';

  return `${part('year')}-${part('month')}-${part('day')}`;
}

function realDate(match: RegExpExecArray | null): CalendarDate | null {
  if (!match) return null;

  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [
    number,
    number,
    number,
  ];
  // Date.UTC rolls 2023-02-30 over to March; a real date survives the round trip.
  const probe = new Date(Date.UTC(year, month - 1, day));
  const real =
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day;

  return real ? { year, month, day } : null;
}
