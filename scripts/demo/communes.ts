import type { Random } from './random';

/**
 * Access to the real commune referential (`@etalab/decoupage-administratif`, the Code officiel
 * géographique with populations), so that every commune code in the demo exists and the places
 * people live in are drawn in proportion to where people actually live.
 */

/** A current commune of Loire-Atlantique or Vendée, as the referential describes it. */
export interface Commune {
  code: string;
  nom: string;
  departement: string;
  /** Arrondissement code (e.g. 442 Nantes): used to attach a commune to the sites that serve it. */
  arrondissement: string;
  codesPostaux: string[];
  population: number;
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  arrondissement?: string;
  codesPostaux?: string[];
  population?: number;
}

export const DEPARTEMENTS = ['44', '85'] as const;
export type Departement = (typeof DEPARTEMENTS)[number];

interface Index {
  byCode: Map<string, Commune>;
  byDepartement: Map<string, Commune[]>;
  /** Running population totals per département, for weighted draws by binary search. */
  cumulative: Map<string, number[]>;
}

let index: Index | undefined;

/** Loads the referential once (an 8 MB JSON file of all of France: read it lazily, keep only 44 and 85). */
function load(): Index {
  if (index) return index;
  // `require` rather than `import`: typechecking the whole JSON file would slow `tsc` down a lot.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const raw = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
  const byCode = new Map<string, Commune>();
  const byDepartement = new Map<string, Commune[]>();
  const cumulative = new Map<string, number[]>();
  for (const departement of DEPARTEMENTS) {
    const communes = raw
      .filter((c) => c.type === 'commune-actuelle' && c.departement === departement)
      .map(
        (c): Commune => ({
          code: c.code,
          nom: c.nom,
          departement,
          arrondissement: c.arrondissement ?? '',
          codesPostaux: c.codesPostaux ?? [],
          population: c.population ?? 0,
        }),
      )
      .sort((a, b) => a.code.localeCompare(b.code));
    let total = 0;
    cumulative.set(
      departement,
      communes.map((c) => (total += c.population)),
    );
    byDepartement.set(departement, communes);
    for (const c of communes) byCode.set(c.code, c);
  }
  index = { byCode, byDepartement, cumulative };
  return index;
}

/** The current communes of a département (44 or 85), ordered by INSEE code. */
export function communesOf(departement: Departement): readonly Commune[] {
  return load().byDepartement.get(departement) ?? [];
}

/** The commune with this INSEE code; throws if the referential has no such current commune. */
export function communeByCode(code: string): Commune {
  const commune = load().byCode.get(code);
  if (!commune) throw new RangeError(`no current commune of 44 or 85 has INSEE code ${code}`);
  return commune;
}

/**
 * The commune of a département with exactly this name (e.g. "Ancenis-Saint-Géréon"); throws
 * rather than guessing, so that a misspelt site address fails loudly instead of inventing a code.
 */
export function communeByName(departement: Departement, nom: string): Commune {
  const matches = communesOf(departement).filter((c) => c.nom === nom);
  if (matches.length !== 1) {
    throw new RangeError(`expected exactly one commune named ${JSON.stringify(nom)} in ${departement}, found ${matches.length}`);
  }
  return matches[0] as Commune;
}

/** A commune of the département drawn with probability proportional to its population. */
export function drawCommune(random: Random, departement: Departement, filter?: (c: Commune) => boolean): Commune {
  const communes = communesOf(departement);
  if (filter) return random.weighted(communes.filter(filter).map((c) => [c, c.population] as const));
  const cumulative = load().cumulative.get(departement) ?? [];
  const total = cumulative[cumulative.length - 1] ?? 0;
  const target = random.int(0, total - 1);
  // First commune whose running total exceeds the target.
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return communes[lo] as Commune;
}
