/**
 * The domain's indicators, behind `Query.indicateursEmploiFormation` (deprecated) and behind the
 * federated `Indicateurs` entity (`emploiFormation`, `emploiFormationParMois`), with the same
 * SQL (stores/indicateurs-store.ts). Analysts read them under statistical secrecy either way,
 * secondary suppression included (`@agir/common/src/statistical-secrecy`).
 */
import { badUserInput, compareDates, requireDepartement, requireRole, type Role } from '@agir/common';
import { clesDuMois, masquerSelon, secretSecondaire, secretStatistiqueApplicable, serieParMois, tauxSelon, type Repartition } from '@agir/common/src/statistical-secrecy';
import type { EmploiFormationContext } from './loaders';
import { TYPES_CONTRAT } from './rules';
import type { IndicateursBruts } from './stores/indicateurs-store';
import { IndicateursMoisStore } from './stores/indicateurs-mois-store';
import * as v from './validation';

const CATEGORIES = ['SANS_ACTIVITE', 'FORMATION_LINGUISTIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'EMPLOI_COURT', 'EMPLOI_DURABLE', 'ALTERNANCE', 'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE'] as const;
const TYPES_FREIN = ['LANGUE', 'MOBILITE', 'GARDE_ENFANTS', 'SANTE', 'LOGEMENT', 'NUMERIQUE', 'RECONNAISSANCE_QUALIFICATIONS', 'AUTRE'] as const;
const OBJECTIF_ACCES = 0.6;
const MESURES_MOIS = ['entrees', 'contratsCommences', 'formationsCommencees'] as const;

/** The deprecated root query's readers (E&F referents included). */
export const LECTEURS_QUERY: Role[] = ['COORDINATION', 'ANALYSTE', 'ADMIN', 'REFERENT_EMPLOI_FORMATION'];
/** The readers of the federated `Indicateurs`. */
export const LECTEURS_ENTITE: Role[] = ['COORDINATION', 'ANALYSTE', 'ADMIN'];

interface Perimetre {
  departement: string;
  du: Date | string;
  au: Date | string;
}

export function verifier(ctx: EmploiFormationContext, args: Perimetre, lecteurs: Role[]) {
  requireRole(ctx.viewer, lecteurs, 'La lecture des indicateurs Emploi & Formation');
  if (!/^(\d{2}|2A|2B|97\d)$/.test(args.departement)) {
    throw badUserInput(`Le département doit être un code (ex. 44, 85, 2A, 974), reçu « ${args.departement} ».`, 'departement');
  }
  requireDepartement(ctx.viewer, args.departement);
  const du = v.jour(args.du);
  const au = v.jour(args.au);
  if (compareDates(du, au) > 0) throw badUserInput(`La période commence (${du}) après sa fin (${au}) : indiquez du ≤ au.`, 'au');
  return { du, au };
}

/**
 * The indicators of a département over [du, au]. `secret`: apply statistical secrecy (both the
 * entity and the deprecated root query do for analysts, so that the old query is no way around it).
 */
export async function indicateursEmploiFormation(ctx: EmploiFormationContext, args: Perimetre, options: { lecteurs: Role[]; secret: boolean }) {
  const { du, au } = verifier(ctx, args, options.lecteurs);
  const b = await ctx.indicateurs.calculer(args.departement, du, au);
  const masques = options.secret ? secretSecondaire(...tableSecret(b)) : new Set<string>();
  const taux = b.parcoursSuivis === 0 ? null : b.accesNumerateur / b.parcoursSuivis;
  const acces = tauxSelon({ numerateur: b.accesNumerateur, denominateur: b.parcoursSuivis, taux }, { numerateur: 'acces', denominateur: 'suivis' }, masques);
  const suivis = masquerSelon({ parcoursSuivis: b.parcoursSuivis }, { parcoursSuivis: 'suivis' }, masques);
  return {
    departement: args.departement,
    du,
    au,
    parcoursSuivis: suivis.parcoursSuivis,
    masque: suivis.masque,
    situationEntree: CATEGORIES.map((categorie) => masquerSelon({ categorie, nombre: b.situationEntree.get(categorie) ?? 0 }, { nombre: `entree:${categorie}` }, masques)),
    situationActuelle: CATEGORIES.map((categorie) => masquerSelon({ categorie, nombre: b.situationActuelle.get(categorie) ?? 0 }, { nombre: `actuelle:${categorie}` }, masques)),
    accesEmploiFormation: { ...acces, objectif: OBJECTIF_ACCES, atteint: acces.taux !== null && acces.taux >= OBJECTIF_ACCES },
    progressionLangue: (() => {
      // The sum of levels gained is measured on the parcours evaluated: hidden with their count, and
      // with the count of those who progressed (it would bound it).
      const m = masquerSelon(
        { parcoursEvalues: b.langue.parcoursEvalues, parcoursEnProgression: b.langue.parcoursEnProgression },
        { parcoursEvalues: 'langue:evalues', parcoursEnProgression: 'langue:progression' },
        masques,
      );
      return { ...m, niveauxGagnes: m.masque ? null : b.langue.niveauxGagnes };
    })(),
    freins: TYPES_FREIN.map((type) =>
      masquerSelon({ type, ...(b.freins.get(type) ?? { identifies: 0, leves: 0 }) }, { identifies: `frein:${type}:identifies`, leves: `frein:${type}:leves` }, masques),
    ),
    contratsParType: TYPES_CONTRAT.map((type) => masquerSelon({ type, nombre: b.contrats.get(type) ?? 0 }, { nombre: `contrat:${type}` }, masques)),
  };
}

/**
 * The domain's counts by key and their breakdowns, for the secondary suppression: the situations at
 * entry and at the end of the period (their total is the parcours followed; those with no known
 * situation are the remainder), the access rate, the language progression (those who did not
 * progress are the remainder), the barriers lifted within each type (those still there are the
 * remainder), the barriers identified and those lifted across types, the contracts by type.
 */
function tableSecret(b: IndicateursBruts): [Record<string, number>, Repartition[]] {
  const comptes: Record<string, number> = {
    suivis: b.parcoursSuivis,
    acces: b.accesNumerateur,
    'langue:evalues': b.langue.parcoursEvalues,
    'langue:progression': b.langue.parcoursEnProgression,
  };
  for (const categorie of CATEGORIES) {
    comptes[`entree:${categorie}`] = b.situationEntree.get(categorie) ?? 0;
    comptes[`actuelle:${categorie}`] = b.situationActuelle.get(categorie) ?? 0;
  }
  for (const type of TYPES_FREIN) {
    const f = b.freins.get(type) ?? { identifies: 0, leves: 0 };
    comptes[`frein:${type}:identifies`] = f.identifies;
    comptes[`frein:${type}:leves`] = f.leves;
  }
  for (const type of TYPES_CONTRAT) comptes[`contrat:${type}`] = b.contrats.get(type) ?? 0;
  const repartitions: Repartition[] = [
    { total: 'suivis', cellules: CATEGORIES.map((c) => `entree:${c}`), reste: true },
    { total: 'suivis', cellules: CATEGORIES.map((c) => `actuelle:${c}`), reste: true },
    { total: 'suivis', cellules: ['acces'], reste: true },
    { total: 'langue:evalues', cellules: ['langue:progression'], reste: true },
    ...TYPES_FREIN.map((type) => ({ total: `frein:${type}:identifies`, cellules: [`frein:${type}:leves`], reste: true })),
    { cellules: TYPES_FREIN.map((type) => `frein:${type}:identifies`) },
    { cellules: TYPES_FREIN.map((type) => `frein:${type}:leves`) },
    { cellules: TYPES_CONTRAT.map((type) => `contrat:${type}`) },
  ];
  return [comptes, repartitions];
}

type Reference = { departement: string; du: Date | string; au: Date | string };

/** The domain's fields of the federated `Indicateurs` entity. */
export const indicateursResolvers = {
  __resolveReference: (ref: Reference) => ({ departement: ref.departement, du: v.jour(ref.du), au: v.jour(ref.au) }),
  emploiFormation: (ref: Reference, _args: unknown, ctx: EmploiFormationContext) =>
    indicateursEmploiFormation(ctx, ref, { lecteurs: LECTEURS_ENTITE, secret: secretStatistiqueApplicable(ctx.viewer.roles) }),
  async emploiFormationParMois(ref: Reference, _args: unknown, ctx: EmploiFormationContext) {
    const { du, au } = verifier(ctx, ref, LECTEURS_ENTITE);
    const secret = secretStatistiqueApplicable(ctx.viewer.roles);
    const mois = await new IndicateursMoisStore(ctx.dataSource).parMois(ref.departement, du, au);
    // Each series is a breakdown of the period's count by month (secondary suppression).
    const masques = secret ? secretSecondaire(...serieParMois(mois, MESURES_MOIS)) : new Set<string>();
    return mois.map((m) => masquerSelon(m, clesDuMois(m.mois, MESURES_MOIS), masques));
  },
};
