import { isIsoDate, type IsoDate } from '@agir/common';

/**
 * Formats a calendar date the way French administrative letters do ('2023-01-31' → '31/01/2023'),
 * so that the reasons and messages the rules produce can be read out to a beneficiary as they are.
 * Throws a TypeError on a string that is not a calendar date, as the rules never guess a date.
 */
export function formaterDate(date: IsoDate): string {
  if (!isIsoDate(date)) throw new TypeError(`Expected a calendar date 'YYYY-MM-DD', received '${date}'`);
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * Writes a number of days in French with the right plural ('1 jour', '3 jours'), for messages
 * such as « 3 jours de retard ».
 */
export function formaterJours(jours: number): string {
  const n = Math.abs(jours);
  return `${n} jour${n > 1 ? 's' : ''}`;
}
