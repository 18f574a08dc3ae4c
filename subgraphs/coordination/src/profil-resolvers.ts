/**
 * The département profile (seed 004, « caractéristiques du public ») as the `profil` field of the
 * federated `Indicateurs`: stock and flow, family or single, age, country of birth, sex, commune of
 * residence, counted in SQL (stores/profil-store.ts) and read under statistical secrecy by analysts.
 */
import { communeParCode, type IsoDate } from '@agir/common';
import { estSecret, masquerMesure, masquerSelon, secretSecondaire, secretStatistiqueApplicable, type Repartition } from '@agir/common/src/statistical-secrecy';
import { moisDansPeriode } from './indicateurs-resolvers';
import type { CoordinationContext } from './loaders';
import type { ProfilBrut } from './stores/profil-store';

const TRANCHES = ['AGE_16_17', 'AGE_18_25', 'AGE_26_35', 'AGE_36_45', 'AGE_46_55', 'AGE_56_PLUS'] as const;
const EFFECTIFS = ['stockDebut', 'stockFin', 'entrees', 'sorties', 'population'] as const;
type Dimension = ProfilBrut['repartitions'][number]['dimension'];

/**
 * A distribution over open-ended values (countries, communes), largest first. Under secrecy, the
 * values held by fewer than 5 people are grouped into one `null` row, and the smallest remaining
 * values join it until it reaches 5 people too, so that no value is named for fewer than 5 people.
 */
function regrouper(lignes: { valeur: string | null; nombre: number }[], secret: boolean): { valeur: string | null; nombre: number }[] {
  const tri = [...lignes].sort((a, b) => b.nombre - a.nombre || String(a.valeur).localeCompare(String(b.valeur)));
  if (!secret) return [...tri.filter((l) => l.valeur !== null), ...tri.filter((l) => l.valeur === null)];
  const visibles = tri.filter((l) => l.valeur !== null && !estSecret(l.nombre));
  let autres = tri.filter((l) => l.valeur === null || estSecret(l.nombre)).reduce((n, l) => n + l.nombre, 0);
  while (autres > 0 && estSecret(autres) && visibles.length > 0) autres += visibles.pop()!.nombre;
  return autres > 0 ? [...visibles, { valeur: null, nombre: autres }] : visibles;
}

/**
 * The profile as the API shows it. Under secrecy (analysts), every count goes through the primary
 * and secondary suppression of `secretSecondaire`: each distribution (family, age band, sex,
 * country, commune) adds up to the population, so none leaves a lone masked cell to subtract.
 */
export function presenterProfil(b: ProfilBrut, du: IsoDate, au: IsoDate, secret: boolean) {
  const repartition = (dimension: Dimension) => b.repartitions.filter((r) => r.dimension === dimension);
  const nombre = (dimension: Dimension, valeur: string | null) => repartition(dimension).find((r) => r.valeur === valeur)?.nombre ?? 0;
  const inconnus = nombre('TRANCHE', null);
  const tranches: (string | null)[] = inconnus > 0 ? [...TRANCHES, null] : [...TRANCHES];
  const pays = regrouper(repartition('PAYS'), secret);
  const communes = regrouper(repartition('COMMUNE'), secret);

  // The table of counts and its breakdowns, each keyed as `dimension:valeur`.
  const comptes: Record<string, number> = Object.fromEntries(EFFECTIFS.map((k) => [k, b[k]]));
  const cellules = (prefixe: string, lignes: { valeur: string | null; nombre: number }[]) => {
    for (const l of lignes) comptes[`${prefixe}:${l.valeur ?? '-'}`] = l.nombre;
    return lignes.map((l) => `${prefixe}:${l.valeur ?? '-'}`);
  };
  const repartitions: Repartition[] = [
    { total: 'population', cellules: cellules('famille', ['FAMILLE', 'ISOLE'].map((v) => ({ valeur: v, nombre: nombre('FAMILLE', v) }))) },
    { total: 'population', cellules: cellules('tranche', tranches.map((v) => ({ valeur: v, nombre: nombre('TRANCHE', v) }))) },
    { total: 'population', cellules: cellules('sexe', ['FEMME', 'HOMME'].map((v) => ({ valeur: v, nombre: nombre('SEXE', v) }))) },
    { total: 'population', cellules: cellules('pays', pays) },
    { total: 'population', cellules: cellules('commune', communes) },
  ];
  const masques = secret ? secretSecondaire(comptes, repartitions) : new Set<string>();
  const cle = (prefixe: string, valeur: string | null) => `${prefixe}:${valeur ?? '-'}`;
  const compte = <K extends string, V>(champ: K, valeur: V, prefixe: string, brute: string | null, n: number) =>
    ({ [champ]: valeur, ...masquerSelon({ nombre: n }, { nombre: cle(prefixe, brute) }, masques) }) as Record<K, V> & { nombre: number | null; masque: boolean };

  const effectifs = masquerSelon(
    { stockDebut: b.stockDebut, stockFin: b.stockFin, entrees: b.entrees, sorties: b.sorties, population: b.population },
    { stockDebut: 'stockDebut', stockFin: 'stockFin', entrees: 'entrees', sorties: 'sorties', population: 'population' },
    masques,
  );
  const age = masquerMesure({ nombre: b.agesConnus, moyenne: b.agesConnus ? b.sommeAges / b.agesConnus : null }, ['moyenne'], secret);
  const noms = new Map(repartition('COMMUNE').map((r) => [r.valeur, r.libelle]));
  const parSituationFamiliale = (['FAMILLE', 'ISOLE'] as const).map((v) => compte('situation', v, 'famille', v, nombre('FAMILLE', v)));
  const parTrancheAge = tranches.map((v) => compte('tranche', v, 'tranche', v, nombre('TRANCHE', v)));
  const parSexe = (['FEMME', 'HOMME'] as const).map((v) => compte('sexe', v, 'sexe', v, nombre('SEXE', v)));
  const parPays = pays.map((l) => compte('pays', l.valeur, 'pays', l.valeur, l.nombre));
  const parCommuneResidence = communes.map((l) =>
    compte('commune', l.valeur === null ? null : (communeParCode(l.valeur) ?? { codeInsee: l.valeur, nom: noms.get(l.valeur) ?? l.valeur }), 'commune', l.valeur, l.nombre),
  );
  const masque = effectifs.masque || age.masque || [...parSituationFamiliale, ...parTrancheAge, ...parSexe, ...parPays, ...parCommuneResidence].some((c) => c.masque);
  return {
    ...effectifs,
    solde: effectifs.entrees === null || effectifs.sorties === null ? null : effectifs.entrees - effectifs.sorties,
    entreesMensuellesMoyennes: effectifs.entrees === null ? null : Math.round((10 * effectifs.entrees) / moisDansPeriode(du, au)) / 10,
    ageMoyen: age.moyenne === null || effectifs.population === null ? null : Math.round(age.moyenne * 10) / 10,
    parSituationFamiliale,
    parTrancheAge,
    parSexe,
    parPays,
    parCommuneResidence,
    masque,
  };
}

/** `Indicateurs.profil`, computed only when asked for, on the scope the parent was computed on. */
export const profilResolvers = {
  Indicateurs: {
    async profil(parent: { departement: string; du: IsoDate; au: IsoDate; siteId: string | null }, _args: unknown, ctx: CoordinationContext) {
      const brut = await ctx.loaders.profil.load({ departement: parent.departement, du: parent.du, au: parent.au, siteId: parent.siteId ?? null });
      return presenterProfil(brut, parent.du, parent.au, secretStatistiqueApplicable(ctx.viewer.roles));
    },
  },
};
