/**
 * Statistical secrecy for the indicators read by analysts: every count below the threshold (5),
 * zero included, is replaced by null and the object that carried it says `masque: true`. A rate
 * whose numerator or denominator is masked loses its value too (it would give the count back), and
 * so does a delay (median, percentile) measured on fewer than 5 people.
 *
 * Hiding the small counts is not enough when a hidden count can be recomputed by subtraction: in a
 * breakdown whose total is known, a single hidden cell is the total minus the visible ones. The
 * secondary suppression (`secretSecondaire`) hides more cells until no breakdown gives one back.
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

export interface Taux {
  numerateur: number;
  denominateur: number;
  taux: number | null;
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

/**
 * A breakdown of a population into cells whose counts add up to its total (orientations by
 * channel, exits by motive, months of a period, categories ...), named by keys of a table of counts
 * (see `secretSecondaire`). A key in two breakdowns is one number published twice (the exclusions
 * in `effectifs` and in `sortiesParMotif`): it is hidden in both or in neither.
 */
export interface Repartition {
  /** The key of the breakdown's total, when it is a count of the same table (published or not). */
  total?: string;
  /** The keys of its cells, in the order they are published (between equal counts, the first is hidden first). */
  cellules: readonly string[];
  /**
   * The cells do not cover the total: the remainder (total minus the cells), never published but
   * found by subtraction, is one more cell, as secret as the others (the people outside the target
   * of a rate, the barriers not lifted, the people whose situation is unknown ...).
   */
  reste?: boolean;
}

/**
 * Primary and secondary suppression over a table of counts and its breakdowns: the keys to hide.
 *
 * Primary: every count below the threshold (zero included), remainders included. Secondary, in
 * each breakdown, taken as if its total were known (it usually is, or can be completed from
 * another field, the monthly series or another period): its hidden cells must be none, all, or at
 * least two holding at least `SEUIL_SECRET_STATISTIQUE` people together (one hidden cell would be
 * the total minus the others; hidden cells adding up to less than 5, such as two zeros, would give
 * back a small count, or every zero). While that does not hold, the smallest visible cell is hidden
 * too, a remainder first when there is one (it is not published: hiding it costs nothing). A hidden
 * total needs at least one hidden cell, or the cells would add it back up. Breakdowns sharing keys
 * are revisited until none changes.
 *
 * A hidden cell is thus never the only unknown of a breakdown, nor are its hidden cells small
 * together; linked breakdowns are checked one at a time, not as a system of equations (which only
 * an audit by linear programming would do).
 */
export function secretSecondaire(comptes: Readonly<Record<string, number>>, repartitions: readonly Repartition[], seuil = SEUIL_SECRET_STATISTIQUE): Set<string> {
  const valeurs = new Map<string, number>(Object.entries(comptes));
  const nonPubliees = new Set<string>();
  const groupes = repartitions.map((r, i) => {
    for (const cle of [...(r.total === undefined ? [] : [r.total]), ...r.cellules]) {
      if (!valeurs.has(cle)) throw new Error(`secretSecondaire : la répartition n° ${i} nomme « ${cle} », absent de la table des comptes (${[...valeurs.keys()].slice(0, 5).join(', ')}…).`);
    }
    const cellules = [...r.cellules];
    if (r.reste) {
      if (r.total === undefined) throw new Error(`secretSecondaire : la répartition n° ${i} a un reste mais pas de total.`);
      const reste = `${r.total}\u0000reste\u0000${i}`;
      valeurs.set(reste, Math.max(0, valeurs.get(r.total)! - cellules.reduce((s, c) => s + valeurs.get(c)!, 0)));
      nonPubliees.add(reste);
      cellules.push(reste);
    }
    return { total: r.total, cellules };
  });
  const masques = new Set([...valeurs].filter(([, n]) => estSecret(n, seuil)).map(([cle]) => cle));
  /** The cell to hide next: an unpublished remainder, else the smallest count, else the first. */
  const suivante = (visibles: string[]) =>
    visibles.reduce((a, b) => {
      const [pa, pb] = [nonPubliees.has(a), nonPubliees.has(b)];
      if (pa !== pb) return pa ? a : b;
      return valeurs.get(b)! < valeurs.get(a)! ? b : a;
    });
  for (let change = true; change; ) {
    change = false;
    for (const g of groupes) {
      for (;;) {
        const cachees = g.cellules.filter((c) => masques.has(c));
        const visibles = g.cellules.filter((c) => !masques.has(c));
        if (visibles.length === 0) break;
        const totalCache = g.total !== undefined && masques.has(g.total);
        const somme = cachees.reduce((s, c) => s + valeurs.get(c)!, 0);
        const protege = cachees.length === 0 ? !totalCache : cachees.length >= 2 && somme >= seuil;
        if (protege) break;
        masques.add(suivante(visibles));
        change = true;
      }
    }
  }
  for (const cle of nonPubliees) masques.delete(cle);
  return masques;
}

/**
 * A copy of `objet` where each field of `cles` (field → its key in the table given to
 * `secretSecondaire`) is null when its key is hidden, with `masque: true` when at least one is.
 */
export function masquerSelon<T extends object, K extends keyof T>(
  objet: T,
  cles: { [P in K]: string },
  masques: ReadonlySet<string>,
): Omit<T, K> & { [P in K]: T[P] | null } & { masque: boolean } {
  const copie: Record<string, unknown> = { ...(objet as Record<string, unknown>) };
  let masque = false;
  for (const [champ, cle] of Object.entries(cles) as [string, string][]) {
    if (masques.has(cle)) {
      copie[champ] = null;
      masque = true;
    }
  }
  return { ...copie, masque } as Omit<T, K> & { [P in K]: T[P] | null } & { masque: boolean };
}

/** A rate whose numerator or denominator key is hidden: both counts as hidden, and no rate. */
export function tauxSelon<T extends Taux>(
  t: T,
  cles: { numerateur: string; denominateur: string },
  masques: ReadonlySet<string>,
): Omit<T, 'numerateur' | 'denominateur' | 'taux'> & { numerateur: number | null; denominateur: number | null; taux: number | null; masque: boolean } {
  const m = masquerSelon(t as Taux, cles, masques);
  return { ...(t as Omit<T, 'numerateur' | 'denominateur' | 'taux'>), numerateur: m.numerateur, denominateur: m.denominateur, taux: m.masque ? null : t.taux, masque: m.masque };
}

/** The key of one month's measure in the table of a monthly series (`serieParMois`). */
const cleDuMois = (mois: string, mesure: string) => `mois:${mois}:${mesure}`;

/** The keys of one month's measures, for `masquerSelon`. */
export function clesDuMois<K extends string>(mois: string, mesures: readonly K[]): Record<K, string> {
  return Object.fromEntries(mesures.map((mesure) => [mesure, cleDuMois(mois, mesure)])) as Record<K, string>;
}

/**
 * The table and breakdowns of a monthly series for `secretSecondaire`: for each measure, the months
 * add up to the period's count (another query for the whole period gives it even when this answer
 * does not), so each measure's months are one breakdown; `totaux` names the key of that count when
 * the same table holds it (Coordination's `effectifs`).
 */
export function serieParMois<M extends { mois: string }, K extends keyof M & string>(
  mois: readonly M[],
  mesures: readonly K[],
  totaux: Partial<Record<K, string>> = {},
): [Record<string, number>, Repartition[]] {
  const comptes: Record<string, number> = {};
  for (const m of mois) for (const mesure of mesures) comptes[cleDuMois(m.mois, mesure)] = m[mesure] as number;
  const repartitions = mesures.map((mesure) => ({ ...(totaux[mesure] ? { total: totaux[mesure] } : {}), cellules: mois.map((m) => cleDuMois(m.mois, mesure)) }));
  return [comptes, repartitions];
}
