/**
 * `Query.indicateurs` and the Coordination fields of the federated `Indicateurs` entity: counts
 * from this subgraph's own tables (see `stores/indicateurs-store.ts`), under statistical secrecy
 * for analysts. The domains add their own fields to the same entity.
 */
import { badUserInput, compareDates, parseId, requireDepartement, requireRole, type IsoDate, type Role, type Viewer } from '@agir/common';
import { masquerComptes, masquerMesure, masquerTaux, secretStatistiqueApplicable, taux } from '@agir/common/src/statistical-secrecy';
import { dateArg } from './inputs';
import type { CoordinationContext } from './loaders';
import { parseDepartement } from './stores/parcours-store';
import { IndicateursStore, type DelaiBrut } from './stores/indicateurs-store';

/** Who may read the indicators of a département (aggregates only). */
export const LECTEURS_INDICATEURS: Role[] = ['COORDINATION', 'ANALYSTE', 'ADMIN'];

/** The longest period, so that the monthly series stays a chart (ten years, 120 months). */
const MAX_MOIS = 120;

const CANAUX = ['OFII', 'FICHE_LIAISON', 'PREFET'] as const;
const MOTIFS_EXCLUSION = ['DEUX_REFUS_LOGEMENT', 'VIOLENCE_MENACES', 'NON_ADHESION', 'COMPORTEMENT_DELICTUEUX'] as const;

export function verifierAcces(viewer: Viewer, departement: string): void {
  requireRole(viewer, LECTEURS_INDICATEURS, 'La lecture des indicateurs');
  requireDepartement(viewer, departement);
}

function periode(duArg: unknown, auArg: unknown): { du: IsoDate; au: IsoDate } {
  const du = dateArg(duArg, 'du', { future: true });
  const au = dateArg(auArg, 'au', { future: true });
  if (compareDates(du, au) > 0) throw badUserInput(`La période commence (${du}) après sa fin (${au}) : indiquez du ≤ au.`, 'au');
  const mois = (Number(au.slice(0, 4)) - Number(du.slice(0, 4))) * 12 + Number(au.slice(5, 7)) - Number(du.slice(5, 7)) + 1;
  if (mois > MAX_MOIS) throw badUserInput(`La période couvre ${mois} mois ; au plus ${MAX_MOIS} : découpez-la.`, 'au');
  return { du, au };
}

export async function calculerIndicateurs(ctx: CoordinationContext, args: { departement: string; du: unknown; au: unknown; siteId?: string | null }) {
  requireRole(ctx.viewer, LECTEURS_INDICATEURS, 'La lecture des indicateurs');
  const departement = parseDepartement(args.departement, 'departement');
  requireDepartement(ctx.viewer, departement);
  const { du, au } = periode(args.du, args.au);
  const siteId = args.siteId == null ? null : parseId(args.siteId, 'siteId');
  const secret = secretStatistiqueApplicable(ctx.viewer.roles);
  const b = await new IndicateursStore(ctx.dataSource).calculer(departement, du, au, siteId);
  const c = b.comptes;
  const compte = <T extends { nombre: number }>(o: T) => masquerComptes(o, ['nombre'], secret);
  const delai = (d: DelaiBrut, cible: string) => ({
    ...masquerMesure({ nombre: d.nombre, medianeJours: d.mediane, percentile90Jours: d.p90, cible }, ['medianeJours', 'percentile90Jours'], secret),
    dansLaCible: masquerTaux({ numerateur: d.dansLaCible, denominateur: d.nombre, taux: taux(d.dansLaCible, d.nombre) }, secret),
  });
  const parCanal: Record<(typeof CANAUX)[number], number> = { OFII: c.orientes_ofii, FICHE_LIAISON: c.orientes_fiche_liaison, PREFET: c.orientes_prefet };
  const parMotifExclusion: Record<(typeof MOTIFS_EXCLUSION)[number], number> = {
    DEUX_REFUS_LOGEMENT: c.excl_deux_refus_logement,
    VIOLENCE_MENACES: c.excl_violence_menaces,
    NON_ADHESION: c.excl_non_adhesion,
    COMPORTEMENT_DELICTUEUX: c.excl_comportement_delictueux,
  };
  return {
    departement,
    du,
    au,
    siteId,
    effectifs: masquerComptes(
      {
        orientes: c.orientes,
        diagnostiques: c.diagnostiques,
        signataires: c.signataires,
        enAccompagnementFin: c.en_accompagnement_fin,
        exclusions: c.exclusion,
        abandons: c.abandon,
        suivis3Mois: c.suivis_3_mois,
        suivis6Mois: c.suivis_6_mois,
      },
      ['orientes', 'diagnostiques', 'signataires', 'enAccompagnementFin', 'exclusions', 'abandons', 'suivis3Mois', 'suivis6Mois'],
      secret,
    ),
    orientationsParCanal: CANAUX.map((canal) => compte({ canal, nombre: parCanal[canal] })),
    sortiesParMotif: (
      [
        ['SORTIE', c.sortie],
        ['REFUS_CONTRACTUALISATION', c.refus_contractualisation],
        ['ABANDON', c.abandon],
        ['EXCLUSION', c.exclusion],
        ['FIN_DE_DROITS', c.fin_de_droits],
      ] as const
    ).map(([motif, nombre]) => compte({ motif, nombre })),
    exclusionsParMotif: MOTIFS_EXCLUSION.map((motif) => compte({ motif, nombre: parMotifExclusion[motif] })),
    delaiDiagnostic: delai(b.delaiDiagnostic, '1 mois'),
    delaiContractualisation: delai(b.delaiContractualisation, '3 semaines'),
    maintien: masquerTaux(
      { numerateur: c.maintien_numerateur, denominateur: c.maintien_denominateur, taux: taux(c.maintien_numerateur, c.maintien_denominateur) },
      secret,
    ),
    parMois: b.parMois.map((m) => masquerComptes(m, ['orientes', 'diagnostiques', 'signataires', 'sorties'], secret)),
  };
}

export const indicateursResolvers = {
  Query: {
    indicateurs: (_root: unknown, args: { departement: string; du: unknown; au: unknown; siteId?: string | null }, ctx: CoordinationContext) =>
      calculerIndicateurs(ctx, args),
  },
  Indicateurs: {
    /** The entity by its key, for the whole département (the key holds no site). */
    __resolveReference: (ref: { departement: string; du: unknown; au: unknown }, ctx: CoordinationContext) =>
      calculerIndicateurs(ctx, { departement: ref.departement, du: ref.du, au: ref.au, siteId: null }),
  },
};
