/**
 * Calendar arithmetic for the demo generator. A `Day` is a whole number of days since 1970-01-01,
 * so that "two weeks after the diagnostic" is `diagnostic + 14` and comparisons are plain `<`.
 * Everything is computed in UTC on purpose: the database columns are `date` (no time zone), and
 * working in local time would make the generated data depend on the machine's zone.
 */

export type Day = number;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; throws on anything else, including impossible dates such as 2023-02-30. */
export function day(iso: string): Day {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  if (new Date(ms).getUTCDate() !== d || new Date(ms).getUTCMonth() !== m - 1) {
    throw new RangeError(`expected a real calendar date as YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  }
  return ms / MS_PER_DAY;
}

/** Formats a day as `YYYY-MM-DD` (the form TypeORM and PostgreSQL expect for `date` columns). */
export function isoDate(d: Day): string {
  return new Date(d * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The calendar year of a day. */
export function yearOf(d: Day): number {
  return new Date(d * MS_PER_DAY).getUTCFullYear();
}

/** 1 January of `year`. */
export function firstOfJanuary(year: number): Day {
  return Date.UTC(year, 0, 1) / MS_PER_DAY;
}

/**
 * Adds calendar months, clamping to the end of the month (31 January + 1 month = 28 or
 * 29 February), which is how a "24-month contract" or "follow-up at 3 months" is counted.
 */
export function addMonths(d: Day, months: number): Day {
  const date = new Date(d * MS_PER_DAY);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)) / MS_PER_DAY;
}

/** Adds calendar years (29 February + 1 year = 28 February). */
export function addYears(d: Day, years: number): Day {
  return addMonths(d, years * 12);
}

/** A timestamp on day `d` at `hour:minute` UTC, for the `cree_le` / `modifie_le` columns. */
export function instantOn(d: Day, hour: number, minute: number): Date {
  return new Date(d * MS_PER_DAY + (hour * 60 + minute) * 60_000);
}

/** Today's date in Europe/Paris as `YYYY-MM-DD`: the programme's calendar, whatever the server's zone. */
export function todayInParis(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whole years from `from` to `to` (an age): 2001-03-14 to 2023-03-13 is 21, to 2023-03-14 is 22. */
export function fullYears(from: Day, to: Day): number {
  const years = yearOf(to) - yearOf(from);
  return addYears(from, years) > to ? years - 1 : years;
}
