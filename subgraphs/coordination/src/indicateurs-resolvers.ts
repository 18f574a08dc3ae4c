/**
 * `Query.indicateurs` and the Coordination fields of the federated `Indicateurs` entity: counts
 * from this subgraph's own tables (see `stores/indicateurs-store.ts`), under statistical secrecy
 * for analysts, secondary suppression included (the breakdowns below). The domains add their own
 * fields to the same entity.
 */
import { badUserInput, compareDates, parseId, requireDepartement, requireRole, type IsoDate, type Role, type Viewer } from '@agir/common';
import { clesDuMois, masquerMesure, masquerSelon, secretSecondaire, secretStatistiqueApplicable, serieParMois, taux, tauxSelon, type Repartition } from '@agir/common/src/statistical-secrecy';
import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import { dateArg } from './inputs';
import type { CoordinationContext } from './loaders';
import { parseDepartement } from './stores/parcours-store';
import { IndicateursStore, type DelaiBrut, type IndicateursCoordinationBruts } from './stores/indicateurs-store';

/** Who may read the indicators of a département (aggregates only). */
export const LECTEURS_INDICATEURS: Role[] = ['COORDINATION', 'ANALYSTE', 'ADMIN'];

/** The longest period, so that the monthly series stays a chart (ten years, 120 months). */
const MAX_MOIS = 120;

const CANAUX = ['OFII', 'FICHE_LIAISON', 'PREFET'] as const;
const MOTIFS_SORTIE = ['SORTIE', 'REFUS_CONTRACTUALISATION', 'ABANDON', 'EXCLUSION', 'FIN_DE_DROITS'] as const;
const MOTIFS_EXCLUSION = ['DEUX_REFUS_LOGEMENT', 'VIOLENCE_MENACES', 'NON_ADHESION', 'COMPORTEMENT_DELICTUEUX'] as const;
const MESURES_MOIS = ['orientes', 'diagnostiques', 'signataires', 'sorties'] as const;

export function verifierAcces(viewer: Viewer, departement: string): void {
  requireRole(viewer, LECTEURS_INDICATEURS, 'La lecture des indicateurs');
  requireDepartement(viewer, departement);
}

/** The number of months [du, au] touches, the first and last counted even when cut. */
export function moisDansPeriode(du: IsoDate, au: IsoDate): number {
  return (Number(au.slice(0, 4)) - Number(du.slice(0, 4))) * 12 + Number(au.slice(5, 7)) - Number(du.slice(5, 7)) + 1;
}

function periode(duArg: unknown, auArg: unknown): { du: IsoDate; au: IsoDate } {
  const du = dateArg(duArg, 'du', { future: true });
  const au = dateArg(auArg, 'au', { future: true });
  if (compareDates(du, au) > 0) throw badUserInput(`La période commence (${du}) après sa fin (${au}) : indiquez du ≤ au.`, 'au');
  const mois = moisDansPeriode(du, au);
  if (mois > MAX_MOIS) throw badUserInput(`La période couvre ${mois} mois ; au plus ${MAX_MOIS} : découpez-la.`, 'au');
  return { du, au };
}

/**
 * Whether the operation selects `champ` on the object the resolver of `info` returns (directly or
 * through fragments, as the gateway's entity fetches write it).
 */
function selectionne(info: GraphQLResolveInfo | undefined, champ: string): boolean {
  const cherche = (selections: readonly SelectionNode[]): boolean =>
    selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === champ;
      if (s.kind === Kind.INLINE_FRAGMENT) return cherche(s.selectionSet.selections);
      const fragment = info!.fragments[s.name.value];
      return fragment ? cherche(fragment.selectionSet.selections) : false;
    });
  return info ? info.fieldNodes.some((n) => n.selectionSet !== undefined && cherche(n.selectionSet.selections)) : false;
}

export async function calculerIndicateurs(
  ctx: CoordinationContext,
  args: { departement: string; du: unknown; au: unknown; siteId?: string | null },
  info?: GraphQLResolveInfo,
) {
  requireRole(ctx.viewer, LECTEURS_INDICATEURS, 'La lecture des indicateurs');
  const departement = parseDepartement(args.departement, 'departement');
  requireDepartement(ctx.viewer, departement);
  const { du, au } = periode(args.du, args.au);
  const siteId = args.siteId == null ? null : parseId(args.siteId, 'siteId');
  const secret = secretStatistiqueApplicable(ctx.viewer.roles);
  // The profile, when asked for, starts now, beside the indicators' statements (its resolver reads
  // the loader's promise; its error, if any, is that resolver's to report).
  if (selectionne(info, 'profil')) ctx.loaders.profil.load({ departement, du, au, siteId }).catch(() => undefined);
  const b = await new IndicateursStore(ctx.dataSource).calculer(departement, du, au, siteId);
  const c = b.comptes;
  const parCanal: Record<(typeof CANAUX)[number], number> = { OFII: c.orientes_ofii, FICHE_LIAISON: c.orientes_fiche_liaison, PREFET: c.orientes_prefet };
  const parMotifSortie: Record<(typeof MOTIFS_SORTIE)[number], number> = {
    SORTIE: c.sortie,
    REFUS_CONTRACTUALISATION: c.refus_contractualisation,
    ABANDON: c.abandon,
    EXCLUSION: c.exclusion,
    FIN_DE_DROITS: c.fin_de_droits,
  };
  const parMotifExclusion: Record<(typeof MOTIFS_EXCLUSION)[number], number> = {
    DEUX_REFUS_LOGEMENT: c.excl_deux_refus_logement,
    VIOLENCE_MENACES: c.excl_violence_menaces,
    NON_ADHESION: c.excl_non_adhesion,
    COMPORTEMENT_DELICTUEUX: c.excl_comportement_delictueux,
  };
  const masques = secret ? secretSecondaire(...tableSecret(b, parCanal, parMotifSortie, parMotifExclusion)) : new Set<string>();
  const delai = (d: DelaiBrut, nom: string, cible: string) => ({
    ...masquerMesure({ nombre: d.nombre, medianeJours: d.mediane, percentile90Jours: d.p90, cible }, ['medianeJours', 'percentile90Jours'], secret),
    dansLaCible: tauxSelon(
      { numerateur: d.dansLaCible, denominateur: d.nombre, taux: taux(d.dansLaCible, d.nombre) },
      { numerateur: `${nom}:dansLaCible`, denominateur: `${nom}:nombre` },
      masques,
    ),
  });
  return {
    departement,
    du,
    au,
    siteId,
    effectifs: masquerSelon(
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
      {
        orientes: 'orientes',
        diagnostiques: 'diagnostiques',
        signataires: 'signataires',
        enAccompagnementFin: 'enAccompagnementFin',
        // The same numbers as the exits by exclusion and by abandon: hidden with them.
        exclusions: 'sortie:EXCLUSION',
        abandons: 'sortie:ABANDON',
        suivis3Mois: 'suivis3Mois',
        suivis6Mois: 'suivis6Mois',
      },
      masques,
    ),
    orientationsParCanal: CANAUX.map((canal) => masquerSelon({ canal, nombre: parCanal[canal] }, { nombre: `canal:${canal}` }, masques)),
    sortiesParMotif: MOTIFS_SORTIE.map((motif) => masquerSelon({ motif, nombre: parMotifSortie[motif] }, { nombre: `sortie:${motif}` }, masques)),
    exclusionsParMotif: MOTIFS_EXCLUSION.map((motif) => masquerSelon({ motif, nombre: parMotifExclusion[motif] }, { nombre: `exclusion:${motif}` }, masques)),
    delaiDiagnostic: delai(b.delaiDiagnostic, 'delaiDiagnostic', '1 mois'),
    delaiContractualisation: delai(b.delaiContractualisation, 'delaiContractualisation', '3 semaines'),
    maintien: tauxSelon(
      { numerateur: c.maintien_numerateur, denominateur: c.maintien_denominateur, taux: taux(c.maintien_numerateur, c.maintien_denominateur) },
      { numerateur: 'maintien:numerateur', denominateur: 'maintien:denominateur' },
      masques,
    ),
    parMois: b.parMois.map((m) => masquerSelon(m, clesDuMois(m.mois, MESURES_MOIS), masques)),
  };
}

/**
 * Every count Coordination publishes, by key, and the breakdowns that add up to a known total,
 * for the secondary suppression: orientations by channel (total `orientes`), exits by motive (their
 * total is the sum of the monthly exits), exclusions by motive (total: the exits by exclusion, the
 * same number as `effectifs.exclusions`), each monthly series (the period's count), and each rate
 * (its numerator and the people outside it make up its denominator).
 */
function tableSecret(
  b: IndicateursCoordinationBruts,
  parCanal: Record<string, number>,
  parMotifSortie: Record<string, number>,
  parMotifExclusion: Record<string, number>,
): [Record<string, number>, Repartition[]] {
  const c = b.comptes;
  const prefixe = (p: string, valeurs: Record<string, number>) => Object.fromEntries(Object.entries(valeurs).map(([k, v]) => [`${p}:${k}`, v]));
  const comptes: Record<string, number> = {
    orientes: c.orientes,
    diagnostiques: c.diagnostiques,
    signataires: c.signataires,
    sorties: Object.values(parMotifSortie).reduce((s, n) => s + n, 0),
    enAccompagnementFin: c.en_accompagnement_fin,
    suivis3Mois: c.suivis_3_mois,
    suivis6Mois: c.suivis_6_mois,
    ...prefixe('canal', parCanal),
    ...prefixe('sortie', parMotifSortie),
    ...prefixe('exclusion', parMotifExclusion),
    'delaiDiagnostic:nombre': b.delaiDiagnostic.nombre,
    'delaiDiagnostic:dansLaCible': b.delaiDiagnostic.dansLaCible,
    'delaiContractualisation:nombre': b.delaiContractualisation.nombre,
    'delaiContractualisation:dansLaCible': b.delaiContractualisation.dansLaCible,
    'maintien:denominateur': c.maintien_denominateur,
    'maintien:numerateur': c.maintien_numerateur,
  };
  const [comptesMois, series] = serieParMois(b.parMois, MESURES_MOIS, { orientes: 'orientes', diagnostiques: 'diagnostiques', signataires: 'signataires', sorties: 'sorties' });
  const repartitions: Repartition[] = [
    { total: 'orientes', cellules: CANAUX.map((canal) => `canal:${canal}`) },
    { total: 'sorties', cellules: MOTIFS_SORTIE.map((motif) => `sortie:${motif}`) },
    // Every exclusion carries its motive (the state machine requires one): the motives cover the total.
    { total: 'sortie:EXCLUSION', cellules: MOTIFS_EXCLUSION.map((motif) => `exclusion:${motif}`) },
    ...series,
    { total: 'delaiDiagnostic:nombre', cellules: ['delaiDiagnostic:dansLaCible'], reste: true },
    { total: 'delaiContractualisation:nombre', cellules: ['delaiContractualisation:dansLaCible'], reste: true },
    { total: 'maintien:denominateur', cellules: ['maintien:numerateur'], reste: true },
  ];
  return [{ ...comptes, ...comptesMois }, repartitions];
}

export const indicateursResolvers = {
  Query: {
    indicateurs: (_root: unknown, args: { departement: string; du: unknown; au: unknown; siteId?: string | null }, ctx: CoordinationContext, info: GraphQLResolveInfo) =>
      calculerIndicateurs(ctx, args, info),
  },
  Indicateurs: {
    /** The entity by its key, for the whole département (the key holds no site). */
    __resolveReference: (ref: { departement: string; du: unknown; au: unknown }, ctx: CoordinationContext, info: GraphQLResolveInfo) =>
      calculerIndicateurs(ctx, { departement: ref.departement, du: ref.du, au: ref.au, siteId: null }, info),
  },
};
