/**
 * Statistical secrecy for the indicators read by analysts: every count below the threshold (5),
 * zero included, is replaced by null and the object that carried it says `masque: true`. A rate
 * whose numerator or denominator is masked loses its value too (it would give the count back), and
 * so does a delay (median, percentile) measured on fewer than 5 people.
 *
 * Pure functions: the subgraphs compute their counts in SQL, then pass the result through these
 * before answering. Imported by path (`@agir/common/src/statistical-secrecy`).
 */

/** The smallest count an analyst may read. */
export const SEUIL_SECRET_STATISTIQUE = 5;

/** Masking applies to a caller who reads the indicators as an analyst only (not also as coordination or administrator). */
export function secretStatistiqueApplicable(roles: readonly string[]): boolean {
  return roles.includes('ANALYSTE') && !roles.includes('COORDINATION') && !roles.includes('ADMIN');
}

/** Whether this count must be hidden. */
export function estSecret(nombre: number | null | undefined, seuil = SEUIL_SECRET_STATISTIQUE): boolean {
  return nombre != null && nombre < seuil;
}

/**
 * A copy of `objet` where each of `cles` holding a count below the threshold is null, with
 * `masque: true` when at least one was hidden. With `actif` false, the counts are kept as they are
 * and `masque` is false.
 */
export function masquerComptes<T extends object, K extends keyof T>(
  objet: T,
  cles: readonly K[],
  actif: boolean,
): Omit<T, K> & { [P in K]: T[P] | null } & { masque: boolean } {
  const copie: Record<string, unknown> = { ...(objet as Record<string, unknown>) };
  let masque = false;
  if (actif) {
    for (const cle of cles) {
      const valeur = objet[cle];
      if (typeof valeur === 'number' && estSecret(valeur)) {
        copie[cle as string] = null;
        masque = true;
      }
    }
  }
  return { ...copie, masque } as Omit<T, K> & { [P in K]: T[P] | null } & { masque: boolean };
}

export interface Taux {
  numerateur: number;
  denominateur: number;
  taux: number | null;
}

/** A rate under secrecy: a masked numerator or denominator hides both counts' rate as well. */
export function masquerTaux<T extends Taux>(t: T, actif: boolean): Omit<T, 'numerateur' | 'denominateur' | 'taux'> & { numerateur: number | null; denominateur: number | null; taux: number | null; masque: boolean } {
  const m = masquerComptes(t as Taux, ['numerateur', 'denominateur'], actif);
  return { ...(t as Omit<T, 'numerateur' | 'denominateur' | 'taux'>), numerateur: m.numerateur, denominateur: m.denominateur, taux: m.masque ? null : t.taux, masque: m.masque };
}

/** The rate numerator / denominator, null when the denominator is zero. */
export function taux(numerateur: number, denominateur: number): number | null {
  return denominateur === 0 ? null : numerateur / denominateur;
}

/**
 * A delay (or any value measured on `nombre` people): under secrecy, when `nombre` is below the
 * threshold, `nombre` and each of `valeurs` are hidden.
 */
export function masquerMesure<T extends object, K extends keyof T>(
  objet: T & { nombre: number },
  valeurs: readonly K[],
  actif: boolean,
): Omit<T, K | 'nombre'> & { [P in K]: T[P] | null } & { nombre: number | null; masque: boolean } {
  const secret = actif && estSecret(objet.nombre);
  const copie: Record<string, unknown> = { ...objet, masque: secret };
  if (secret) {
    copie.nombre = null;
    for (const cle of valeurs) copie[cle as string] = null;
  }
  return copie as Omit<T, K | 'nombre'> & { [P in K]: T[P] | null } & { nombre: number | null; masque: boolean };
}
