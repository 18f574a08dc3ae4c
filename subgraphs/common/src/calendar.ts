/**
 * The programme's calendar: every deadline of AGIR (diagnostic within one month of the CIR,
 * contract within three weeks of the commission, 24 months of accompaniment, follow-ups 3 and 6
 * months after exit, "stabilised for at least six months") is computed here, on calendar dates
 * ('YYYY-MM-DD' strings, no time, no time zone), so that every domain counts months the same way.
 *
 * Month arithmetic clamps to the end of the month: 31 January + 1 month = 28 (or 29) February,
 * as a person signing on 31 January is due on the last day of February, not on 3 March.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;

function parts(date: IsoDate): [number, number, number] {
  const match = ISO_DATE.exec(date);
  if (!match) throw new TypeError(`Expected a calendar date 'YYYY-MM-DD', received '${date}'`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new TypeError(`'${date}' is not a date of the calendar`);
  return [y, m, d];
}

function format(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** True when the string is a real calendar date ('2025-02-29' is not). */
export function isIsoDate(value: string): boolean {
  try {
    parts(value);
    return true;
  } catch {
    return false;
  }
}

/** Adds (or, when negative, subtracts) whole months, clamping to the end of the month. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function addWeeks(date: IsoDate, weeks: number): IsoDate {
  return addDays(date, weeks * 7);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/** Age in completed years on `on` (a person born on 29 February turns a year older on 1 March). */
export function ageOn(birth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = parts(birth);
  const [y, m, d] = parts(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** 1 January of the given year. */
export function startOfYear(year: number): IsoDate {
  return format(year, 1, 1);
}

export function yearOf(date: IsoDate): number {
  return parts(date)[0];
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  parts(a);
  parts(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One formatter per time zone, made once: building an `Intl.DateTimeFormat` loads the zone's
 * rules and cost more than everything else a resolver did (a fifth to a third of each
 * subgraph's CPU on a list, where `today()` runs per row).
 */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let made = FORMATTERS.get(timeZone);
  if (!made) {
    made = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    FORMATTERS.set(timeZone, made);
  }
  return made;
}

/**
 * The date of each time zone in the minute it was last asked for. A date changes only on a minute
 * boundary (time zones are offset from UTC by whole minutes), so within the same minute the
 * formatter's answer is the same: `formatToParts` is then not run again for every field of every
 * row of a list (it was the hub's costliest function of its own under the load of a page).
 */
const DERNIERS = new Map<string, { minute: number; date: IsoDate }>();

/** The calendar date it is now in Europe/Paris, where the programme runs (or in `timeZone`). */
export function today(now: Date = new Date(), timeZone = 'Europe/Paris'): IsoDate {
  const minute = Math.floor(now.getTime() / 60_000);
  const dernier = DERNIERS.get(timeZone);
  if (dernier?.minute === minute) return dernier.date;
  const fields = formatter(timeZone).formatToParts(now);
  const get = (type: string) => fields.find((f) => f.type === type)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  DERNIERS.set(timeZone, { minute, date });
  return date;
}

/** A dated event of a parcours as a subgraph builds it for the chronologie; `prevu` is derived from its date. */
export interface EvenementDomaine {
  date: IsoDate;
  domaine: string;
  type: string;
  libelle: string;
}

/** `EvenementParcours`'s derived field in every subgraph: a step dated after today (the programme's) is planned, not yet a fact. */
export const evenementParcoursResolvers = {
  prevu: (e: EvenementDomaine): boolean => e.date > today(),
};
