import { badUserInput, compareDates, isIsoDate, parseId, today, type IsoDate } from '@agir/common';

/**
 * Validation of mutation inputs: each problem is the caller's to fix, so each is a BAD_USER_INPUT
 * naming the input field at fault and saying what was expected.
 */

/**
 * A `Date` argument as a calendar date. The graphql-scalars Date parses to a JS Date at UTC
 * midnight; rows and rules speak 'YYYY-MM-DD'.
 */
export function dateArg(value: unknown, field: string, options: { future?: boolean } = {}): IsoDate {
  const iso = value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' ? value : '';
  if (!isIsoDate(iso)) throw badUserInput(`« ${field} » doit être une date AAAA-MM-JJ, reçu « ${String(value)} ».`, field);
  if (!options.future && compareDates(iso, today()) > 0) {
    throw badUserInput(`« ${field} » (${iso}) est dans le futur : on enregistre ce qui a eu lieu, au plus tard aujourd'hui (${today()}).`, field);
  }
  return iso;
}

export function optionalDateArg(value: unknown, field: string, options: { future?: boolean } = {}): IsoDate | null {
  return value == null ? null : dateArg(value, field, options);
}

/** A required free text: trimmed, not empty, at most `max` characters. */
export function texte(value: string | null | undefined, field: string, max = 2000): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) throw badUserInput(`« ${field} » est requis et ne peut pas être vide.`, field);
  if (trimmed.length > max) throw badUserInput(`« ${field} » dépasse ${max} caractères (${trimmed.length}).`, field);
  return trimmed;
}

export function texteOptionnel(value: string | null | undefined, field: string, max = 2000): string | null {
  return value == null || value.trim() === '' ? null : texte(value, field, max);
}

export function idArg(value: string, field: string): string {
  return parseId(value, field);
}

/** 'HH:MM' on the 24-hour clock. */
export function heureArg(value: string, field: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) throw badUserInput(`« ${field} » doit être une heure HH:MM (ex. 09:30), reçu « ${value} ».`, field);
  return value;
}

/** A date that must not come before another (both known), e.g. a step after the previous one. */
export function pasAvant(date: IsoDate, borne: IsoDate | null | undefined, field: string, quoi: string): void {
  if (borne != null && compareDates(date, borne) < 0) {
    throw badUserInput(`« ${field} » (${date}) précède ${quoi} (${borne}) : les étapes du parcours se suivent dans le temps.`, field);
  }
}

/** Every item once per axe, and each of `requis` present. */
export function axesUniques<T extends { axe: string }>(items: readonly T[], field: string, requis: readonly string[] = []): void {
  const vus = new Set<string>();
  for (const item of items) {
    if (vus.has(item.axe)) throw badUserInput(`« ${field} » cite l'axe ${item.axe} deux fois : un élément par axe.`, field);
    vus.add(item.axe);
  }
  const manquants = requis.filter((a) => !vus.has(a));
  if (manquants.length > 0) throw badUserInput(`« ${field} » doit couvrir les axes ${requis.join(', ')} ; manquent : ${manquants.join(', ')}.`, field);
}

/**
 * The day a read of one parcours is judged on (`criteresSortie`, `echeances`, `alertes`): today
 * when absent, otherwise a day between the parcours's orientation and today, since before the one
 * there is no parcours and after the other no fact is known yet.
 */
export function jourDuParcours(value: unknown, p: { dateOrientation: string }, field = 'date'): IsoDate {
  if (value == null) return today();
  const iso = jourPasse(value, field, `entre l'orientation du parcours (${p.dateOrientation}) et aujourd'hui`);
  if (compareDates(iso, p.dateOrientation) < 0) {
    throw badUserInput(`« ${field} » (${iso}) précède l'orientation du parcours (${p.dateOrientation}) : choisissez un jour entre l'orientation et aujourd'hui (${today()}).`, field);
  }
  return iso;
}

/** A day at most today (a read of the past, never of facts not yet known); today when absent. */
export function jourPasse(value: unknown, field = 'date', borne = "au plus tard aujourd'hui"): IsoDate {
  if (value == null) return today();
  const iso = dateArg(value, field, { future: true });
  if (compareDates(iso, today()) > 0) {
    throw badUserInput(`« ${field} » (${iso}) est dans le futur : les faits ne sont connus que jusqu'à aujourd'hui (${today()}) ; choisissez un jour ${borne}.`, field);
  }
  return iso;
}
