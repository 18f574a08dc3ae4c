import { badUserInput, compareDates, type IsoDate } from '@agir/common';
import type { GraphQLError } from 'graphql';
import { CodeRomeInconnu, ParcoursCirInvalide, progressionParcoursCir, validerCodeRome, validerParcoursCir } from './rules';

/**
 * Input checks of the mutations: each returns the normalised value or throws BAD_USER_INPUT with
 * the `field` at fault and a French message saying what to fix. The rules module decides what a
 * ROME code or a CIR path is; this module only turns its refusals into API errors.
 */

/** A `Date` argument as the scalar hands it over (a JS Date at midnight UTC, or already a string). */
export function jour(value: Date | string): IsoDate {
  return typeof value === 'string' ? value : value.toISOString().slice(0, 10);
}

export function jourOuNull(value: Date | string | null | undefined): IsoDate | null {
  return value === null || value === undefined ? null : jour(value);
}

/** Refuses an end before the start. */
export function periode(dateDebut: IsoDate, dateFin: IsoDate | null, field = 'input.dateFin'): void {
  if (dateFin !== null && compareDates(dateFin, dateDebut) < 0) {
    throw badUserInput(`La date de fin (${dateFin}) est antérieure à la date de début (${dateDebut}) : corrigez l'une ou l'autre.`, field);
  }
}

export function codeRome(value: string, field: string): string {
  try {
    return validerCodeRome(value);
  } catch (error) {
    if (error instanceof CodeRomeInconnu) throw badUserInput(error.message, field, { motif: error.motif });
    throw error;
  }
}

export function codeRomeOuNull(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : codeRome(value, field);
}

/** A short text typed by the referent: trimmed, not empty, at most `max` characters. */
export function texte(value: string, field: string, max = 200): string {
  const t = value.trim();
  if (t === '') throw badUserInput(`Le champ « ${field} » est vide : renseignez-le.`, field);
  if (t.length > max) throw badUserInput(`Le champ « ${field} » dépasse ${max} caractères (${t.length}) : raccourcissez-le.`, field);
  return t;
}

export function pays(value: string, field: string): string {
  if (!/^[A-Z]{2}$/.test(value)) {
    throw badUserInput(`Le pays doit être un code ISO 3166-1 alpha-2 en majuscules (ex. AF, SY, FR), reçu « ${value} ».`, field);
  }
  return value;
}

export function entierPositif(value: number | null | undefined, field: string, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw badUserInput(`Le champ « ${field} » doit être un entier entre 1 et ${max}, reçu ${value}.`, field);
  }
  return value;
}

function cirError(error: unknown, field: string): GraphQLError | unknown {
  return error instanceof ParcoursCirInvalide ? badUserInput(error.message, field) : error;
}

export function heuresCir(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  try {
    return validerParcoursCir(value);
  } catch (error) {
    throw cirError(error, field);
  }
}

/**
 * Hours of a training: planned ones positive; done ones between 0 and the planned ones. For a CIR
 * path the planned volume must be one of the OFII's (100, 200, 400, 600 hours).
 */
export function heuresFormation(cir: boolean, prevues: number | null, realisees: number | null): void {
  if (cir) {
    if (prevues === null) throw badUserInput("Le parcours linguistique du CIR doit indiquer ses heures prévues (100, 200, 400 ou 600).", 'input.heuresPrevues');
    heuresCir(prevues, 'input.heuresPrevues');
    if (realisees !== null) {
      try {
        progressionParcoursCir(prevues, realisees);
      } catch (error) {
        throw cirError(error, 'input.heuresRealisees');
      }
    }
    return;
  }
  entierPositif(prevues, 'input.heuresPrevues', 5000);
  if (realisees !== null && (!Number.isFinite(realisees) || realisees < 0 || (prevues !== null && realisees > prevues))) {
    throw badUserInput(
      `Les heures réalisées (${realisees}) doivent être positives${prevues !== null ? ` et ne pas dépasser les ${prevues} heures prévues` : ''}.`,
      'input.heuresRealisees',
    );
  }
}

/** The France Travail identifier: 7 to 11 upper-case letters or digits. */
export function identifiantFranceTravail(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!/^[0-9A-Z]{7,11}$/.test(value)) {
    throw badUserInput(`L'identifiant France Travail est fait de 7 à 11 chiffres ou lettres majuscules (ex. 1234567A), reçu « ${value} ».`, 'input.identifiant');
  }
  return value;
}

/** The earliest of some dates (the day the domain's dossier is considered open, at the latest today). */
export function plusAncienne(...dates: Array<IsoDate | null>): IsoDate {
  const d = dates.filter((x): x is IsoDate => x !== null);
  return d.reduce((a, b) => (compareDates(a, b) <= 0 ? a : b));
}
