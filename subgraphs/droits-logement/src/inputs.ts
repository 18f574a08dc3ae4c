/**
 * Turns the mutations' raw arguments into checked values, or a BAD_USER_INPUT naming the field at
 * fault and saying what to fix. Private to this subgraph's write path.
 */
import { badUserInput, isIsoDate, parseId, type IsoDate } from '@agir/common';
import { communeParCode, type Commune } from '@agir/common';

/**
 * A `Date` argument as a calendar date. The graphql-scalars `Date` scalar parses 'YYYY-MM-DD'
 * into a JavaScript Date at midnight UTC, whatever the codegen type says; strings pass through.
 */
export function dateArgument(value: unknown, field: string): IsoDate {
  const iso = value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)) : String(value);
  if (!isIsoDate(iso)) throw badUserInput(`Le champ « ${field} » doit être une date AAAA-MM-JJ, reçu « ${String(value)} ».`, field);
  return iso;
}

export function optionalDateArgument(value: unknown, field: string): IsoDate | null {
  return value === null || value === undefined ? null : dateArgument(value, field);
}

/** An id argument (a UUID), lower-cased. */
export function idArgument(value: string, field: string): string {
  return parseId(value, field);
}

/** A current commune of the Code officiel géographique, by its INSEE code. */
export function communeArgument(code: string, field: string): Commune {
  const normalise = code.trim().toUpperCase();
  const commune = communeParCode(normalise);
  if (!commune) {
    throw badUserInput(
      `Code commune INSEE inconnu : « ${code} ». Indiquez le code INSEE à 5 caractères d'une commune actuelle (ex. 44109 pour Nantes, 85191 pour La Roche-sur-Yon), pas son code postal.`,
      field,
    );
  }
  return commune;
}

/** A free text that must not be blank, trimmed, at most `max` characters. */
export function texteArgument(value: string, field: string, what: string, max = 200): string {
  const texte = value.trim();
  if (texte === '') throw badUserInput(`Le champ « ${field} » est vide : indiquez ${what}.`, field);
  if (texte.length > max) throw badUserInput(`Le champ « ${field} » dépasse ${max} caractères (${texte.length}) : abrégez-le.`, field);
  return texte;
}

export function optionalTexteArgument(value: string | null | undefined, field: string, max = 200): string | null {
  const texte = value?.trim() ?? '';
  if (texte.length > max) throw badUserInput(`Le champ « ${field} » dépasse ${max} caractères (${texte.length}) : abrégez-le.`, field);
  return texte === '' ? null : texte;
}
