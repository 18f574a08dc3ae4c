/**
 * The communes of the Code officiel géographique, from `@etalab/decoupage-administratif` (the
 * current communes only: 'commune-actuelle'; merged former communes and arrondissements are not
 * accepted, so that every INSEE code stored here designates one commune of today). Loaded once, on
 * first use, and kept for the life of the process: it is reference data, not a per-user cache.
 */
import { createRequire } from 'node:module';

interface CommuneCog {
  code: string;
  nom: string;
  type: string;
  departement?: string;
}

/** A current commune: its INSEE code and its name. */
export interface Commune {
  codeInsee: string;
  nom: string;
}

let parCode: Map<string, Commune> | undefined;

function referentiel(): Map<string, Commune> {
  if (!parCode) {
    const communes = createRequire(__filename)('@etalab/decoupage-administratif/data/communes.json') as CommuneCog[];
    parCode = new Map(communes.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, { codeInsee: c.code, nom: c.nom }]));
  }
  return parCode;
}

/** The current commune with this INSEE code, or `null` when there is none. */
export function communeParCode(code: string): Commune | null {
  return referentiel().get(code) ?? null;
}
