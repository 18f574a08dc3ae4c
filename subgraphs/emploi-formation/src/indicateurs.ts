/**
 * The domain's indicators, behind `Query.indicateursEmploiFormation` (deprecated) and behind the
 * federated `Indicateurs` entity (`emploiFormation`, `emploiFormationParMois`), with the same
 * SQL (stores/indicateurs-store.ts). Analysts read them under statistical secrecy either way
 * (`@agir/common/src/statistical-secrecy`).
 */
import { badUserInput, compareDates, requireDepartement, requireRole, type Role } from '@agir/common';
import { masquerComptes, masquerMesure, masquerTaux, secretStatistiqueApplicable } from '@agir/common/src/statistical-secrecy';
import type { EmploiFormationContext } from './loaders';
import { TYPES_CONTRAT } from './rules';
import { IndicateursMoisStore } from './stores/indicateurs-mois-store';
import * as v from './validation';

const CATEGORIES = ['SANS_ACTIVITE', 'FORMATION_LINGUISTIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'EMPLOI_COURT', 'EMPLOI_DURABLE', 'ALTERNANCE', 'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE'] as const;
const TYPES_FREIN = ['LANGUE', 'MOBILITE', 'GARDE_ENFANTS', 'SANTE', 'LOGEMENT', 'NUMERIQUE', 'RECONNAISSANCE_QUALIFICATIONS', 'AUTRE'] as const;
const OBJECTIF_ACCES = 0.6;

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
  const s = options.secret;
  const b = await ctx.indicateurs.calculer(args.departement, du, au);
  const taux = b.parcoursSuivis === 0 ? null : b.accesNumerateur / b.parcoursSuivis;
  const acces = masquerTaux({ numerateur: b.accesNumerateur, denominateur: b.parcoursSuivis, taux }, s);
  const suivis = masquerComptes({ parcoursSuivis: b.parcoursSuivis }, ['parcoursSuivis'], s);
  return {
    departement: args.departement,
    du,
    au,
    parcoursSuivis: suivis.parcoursSuivis,
    masque: suivis.masque,
    situationEntree: CATEGORIES.map((categorie) => masquerComptes({ categorie, nombre: b.situationEntree.get(categorie) ?? 0 }, ['nombre'], s)),
    situationActuelle: CATEGORIES.map((categorie) => masquerComptes({ categorie, nombre: b.situationActuelle.get(categorie) ?? 0 }, ['nombre'], s)),
    accesEmploiFormation: { ...acces, objectif: OBJECTIF_ACCES, atteint: acces.taux !== null && acces.taux >= OBJECTIF_ACCES },
    progressionLangue: (() => {
      // The sum of levels gained is measured on the parcours evaluated: hidden with their count.
      const m = masquerMesure({ nombre: b.langue.parcoursEvalues, niveauxGagnes: b.langue.niveauxGagnes }, ['niveauxGagnes'], s);
      const p = masquerComptes({ parcoursEnProgression: b.langue.parcoursEnProgression }, ['parcoursEnProgression'], s);
      return { parcoursEvalues: m.nombre, niveauxGagnes: m.niveauxGagnes, parcoursEnProgression: p.parcoursEnProgression, masque: m.masque || p.masque };
    })(),
    freins: TYPES_FREIN.map((type) => masquerComptes({ type, ...(b.freins.get(type) ?? { identifies: 0, leves: 0 }) }, ['identifies', 'leves'], s)),
    contratsParType: TYPES_CONTRAT.map((type) => masquerComptes({ type, nombre: b.contrats.get(type) ?? 0 }, ['nombre'], s)),
  };
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
    return mois.map((m) => masquerComptes(m, ['entrees', 'contratsCommences', 'formationsCommencees'], secret));
  },
};
