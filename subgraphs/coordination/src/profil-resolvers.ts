/**
 * The département profile (seed 004, « caractéristiques du public ») as the `profil` field of the
 * federated `Indicateurs`: stock and flow, family or single, age, country of birth, sex, commune of
 * residence, counted in SQL (stores/profil-store.ts) and read under statistical secrecy by analysts.
 */
import { communeParCode, type IsoDate } from '@agir/common';
import { estSecret, masquerComptes, masquerMesure, secretStatistiqueApplicable } from '@agir/common/src/statistical-secrecy';
import type { CoordinationContext } from './loaders';
import { ProfilStore, type ProfilBrut } from './stores/profil-store';

const TRANCHES = ['AGE_16_17', 'AGE_18_25', 'AGE_26_35', 'AGE_36_45', 'AGE_46_55', 'AGE_56_PLUS'] as const;

interface Cellule {
  nombre: number | null;
  masque: boolean;
}

/**
 * Secondary suppression: in cells that add up to a published total, one masked cell alone could be
 * recomputed by subtraction; the smallest visible cell is then masked too.
 */
function proteger<T extends Cellule>(cellules: T[], totalVisible: boolean, valeurs: number[]): T[] {
  const masquees = cellules.filter((c) => c.masque).length;
  if (!totalVisible || masquees !== 1) return cellules;
  let plusPetite = -1;
  cellules.forEach((c, i) => {
    if (!c.masque && (plusPetite < 0 || valeurs[i]! < valeurs[plusPetite]!)) plusPetite = i;
  });
  return cellules.map((c, i) => (i === plusPetite ? { ...c, nombre: null, masque: true } : c));
}

/**
 * A distribution over open-ended values (countries, communes), largest first. Under secrecy, the
 * values held by fewer than 5 people are grouped into one `null` row, and the smallest remaining
 * values join it until it reaches 5 people too, so that no row is masked and none can be recomputed.
 */
function regrouper(lignes: { valeur: string | null; nombre: number }[], secret: boolean): { valeur: string | null; nombre: number }[] {
  const tri = [...lignes].sort((a, b) => b.nombre - a.nombre || String(a.valeur).localeCompare(String(b.valeur)));
  if (!secret) return [...tri.filter((l) => l.valeur !== null), ...tri.filter((l) => l.valeur === null)];
  const visibles = tri.filter((l) => l.valeur !== null && !estSecret(l.nombre));
  let autres = tri.filter((l) => l.valeur === null || estSecret(l.nombre)).reduce((n, l) => n + l.nombre, 0);
  while (autres > 0 && estSecret(autres) && visibles.length > 0) autres += visibles.pop()!.nombre;
  return autres > 0 ? [...visibles, { valeur: null, nombre: autres }] : visibles;
}

function moisDansPeriode(du: IsoDate, au: IsoDate): number {
  return (Number(au.slice(0, 4)) - Number(du.slice(0, 4))) * 12 + Number(au.slice(5, 7)) - Number(du.slice(5, 7)) + 1;
}

export function presenterProfil(b: ProfilBrut, du: IsoDate, au: IsoDate, secret: boolean) {
  const effectifs = masquerComptes(
    { stockDebut: b.stockDebut, stockFin: b.stockFin, entrees: b.entrees, sorties: b.sorties, population: b.population },
    ['stockDebut', 'stockFin', 'entrees', 'sorties', 'population'],
    secret,
  );
  const populationVisible = effectifs.population !== null;
  const age = masquerMesure({ nombre: b.agesConnus, moyenne: b.agesConnus ? b.sommeAges / b.agesConnus : null }, ['moyenne'], secret);
  const repartition = (dimension: ProfilBrut['repartitions'][number]['dimension']) => b.repartitions.filter((r) => r.dimension === dimension);
  const nombre = (dimension: ProfilBrut['repartitions'][number]['dimension'], valeur: string | null) =>
    repartition(dimension).find((r) => r.valeur === valeur)?.nombre ?? 0;
  const fermee = <K extends string, V extends string | null>(cle: K, dimension: ProfilBrut['repartitions'][number]['dimension'], valeurs: readonly V[]) => {
    const nombres = valeurs.map((v) => nombre(dimension, v));
    const cellules = valeurs.map((v, i) => ({ [cle]: v, ...masquerComptes({ nombre: nombres[i]! }, ['nombre'], secret) }) as Record<K, V> & Cellule);
    return proteger(cellules, populationVisible, nombres);
  };
  const inconnus = nombre('TRANCHE', null);
  const tranches = inconnus > 0 ? [...TRANCHES, null] : [...TRANCHES];
  const communes = new Map(repartition('COMMUNE').map((r) => [r.valeur, r.libelle]));
  const parPays = regrouper(repartition('PAYS'), secret).map((l) => ({ pays: l.valeur, ...masquerComptes({ nombre: l.nombre }, ['nombre'], secret) }));
  const parCommuneResidence = regrouper(repartition('COMMUNE'), secret).map((l) => ({
    commune: l.valeur === null ? null : (communeParCode(l.valeur) ?? { codeInsee: l.valeur, nom: communes.get(l.valeur) ?? l.valeur }),
    ...masquerComptes({ nombre: l.nombre }, ['nombre'], secret),
  }));
  const parSituationFamiliale = fermee('situation', 'FAMILLE', ['FAMILLE', 'ISOLE'] as const);
  const parTrancheAge = fermee('tranche', 'TRANCHE', tranches);
  const parSexe = fermee('sexe', 'SEXE', ['FEMME', 'HOMME'] as const);
  const masque =
    effectifs.masque || age.masque || [...parSituationFamiliale, ...parTrancheAge, ...parSexe, ...parPays, ...parCommuneResidence].some((c) => c.masque);
  const entreesVisibles = effectifs.entrees;
  return {
    stockDebut: effectifs.stockDebut,
    stockFin: effectifs.stockFin,
    entrees: effectifs.entrees,
    sorties: effectifs.sorties,
    solde: effectifs.entrees === null || effectifs.sorties === null ? null : effectifs.entrees - effectifs.sorties,
    entreesMensuellesMoyennes: entreesVisibles === null ? null : Math.round((10 * entreesVisibles) / moisDansPeriode(du, au)) / 10,
    population: effectifs.population,
    ageMoyen: age.moyenne === null || !populationVisible ? null : Math.round(age.moyenne * 10) / 10,
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
      const brut = await new ProfilStore(ctx.dataSource).calculer(parent.departement, parent.du, parent.au, parent.siteId ?? null);
      return presenterProfil(brut, parent.du, parent.au, secretStatistiqueApplicable(ctx.viewer.roles));
    },
  },
};
