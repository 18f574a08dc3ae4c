import DataLoader from 'dataloader';
import type { ParcoursRow } from './entities';
import type { CoordinationContext } from './loaders';
import { alertes, echeances, type Alerte, type Echeance, type OptionsAlertes, type ParcoursEcheances, type TypeEvaluation } from './rules';

/**
 * Feeds the deadline and alert rules (`rules/deadlines.ts`) with what Coordination records of a
 * parcours, loaded through the request's loaders (so a whole département costs one batch per
 * table), plus the housing refusal count that only Droits & Logement knows.
 */

/** A parcours's dates and facts, in the shape the rules read. */
export async function instantane(ctx: CoordinationContext, p: ParcoursRow, nombreRefusLogement: number | null, activitesDomaines: readonly (string | null | undefined)[] = []): Promise<ParcoursEcheances> {
  const [evaluations, suivis, activite] = await Promise.all([ctx.loaders.evaluations.load(p.id), ctx.loaders.suivis.load(p.id), ctx.loaders.derniereActivite.load(p.id)]);
  const derniere: Partial<Record<TypeEvaluation, string>> = {};
  for (const e of evaluations) derniere[e.type] = e.dateEvaluation; // sorted by date: the latest wins
  return {
    statut: p.statut,
    dateSignatureCir: p.dateSignatureCir,
    dateOrientation: p.dateOrientation,
    dateDiagnostic: p.dateDiagnostic,
    dateCommission: p.dateCommission,
    dateContrat: p.dateContrat,
    dateFinContrat: p.dateFinContrat ?? null,
    dateReintegration: p.dateReintegration ?? null,
    dateSortie: p.dateSortie,
    dateSuivi3Mois: suivis.find((s) => s.echeance === 'TROIS_MOIS')?.dateEntretien ?? null,
    dateSuivi6Mois: suivis.find((s) => s.echeance === 'SIX_MOIS')?.dateEntretien ?? null,
    evaluations: derniere,
    referentDroitsLogementDesigne: p.referentDroitsLogementId != null,
    referentEmploiFormationDesigne: p.referentEmploiFormationId != null,
    // Coordination's own activity, or either domain's, whichever is the latest.
    dateDerniereActivite: [activite?.date, ...activitesDomaines].filter((d): d is string => typeof d === 'string').sort().at(-1) ?? null,
    nombreRefusLogement,
  };
}

export async function alertesParcours(
  ctx: CoordinationContext,
  p: ParcoursRow,
  refus: number | null,
  aujourdhui: string,
  options: OptionsAlertes,
  activitesDomaines: readonly (string | null | undefined)[] = [],
): Promise<Alerte[]> {
  return alertes(await instantane(ctx, p, refus, activitesDomaines), aujourdhui, options);
}

export async function echeancesParcours(ctx: CoordinationContext, p: ParcoursRow, aujourdhui: string): Promise<Echeance[]> {
  return echeances(await instantane(ctx, p, null), aujourdhui);
}

const REFUS_QUERY = 'query RefusLogement($ids: [ID!]!) { refusPropositionsLogement(parcoursIds: $ids) { parcoursId refus } }';

/** The most ids Droits & Logement takes in one `refusPropositionsLogement` (its `MAX_PARCOURS_REFUS`). */
const REFUS_PAR_REQUETE = 500;

/**
 * The housing refusal counts of the given parcours, through the gateway, in one query to Droits &
 * Logement per 500 parcours (the most it takes at once; a département holds thousands). Null when
 * that domain does not answer: the caller then reports that the exclusion rule could not be
 * evaluated, and still answers the other alerts.
 */
export async function refusLogement(ctx: CoordinationContext, parcoursIds: string[]): Promise<{ refus: Map<string, number> | null; erreur: string | null }> {
  if (parcoursIds.length === 0) return { refus: new Map(), erreur: null };
  const lots: string[][] = [];
  for (let i = 0; i < parcoursIds.length; i += REFUS_PAR_REQUETE) lots.push(parcoursIds.slice(i, i + REFUS_PAR_REQUETE));
  try {
    const reponses = await Promise.all(
      lots.map((ids) => ctx.gateway.query<{ refusPropositionsLogement: { parcoursId: string; refus: number }[] | null }>(REFUS_QUERY, { ids })),
    );
    if (reponses.some((data) => !data?.refusPropositionsLogement)) return { refus: null, erreur: 'le domaine Droits & Logement n’a pas donné les refus de logement' };
    return { refus: new Map(reponses.flatMap((data) => data!.refusPropositionsLogement!.map((r) => [r.parcoursId, r.refus] as const))), erreur: null };
  } catch (error) {
    ctx.logger.warn({ err: error }, 'alerts: housing refusal counts unavailable');
    return { refus: null, erreur: error instanceof Error ? error.message : String(error) };
  }
}

const ACTIVITE_QUERIES = {
  'Droits & Logement': ['derniereActiviteDroitsLogement', 'query ActiviteDL($ids: [ID!]!, $date: Date) { derniereActiviteDroitsLogement(parcoursIds: $ids, date: $date) { parcoursId date } }'],
  'Emploi & Formation': ['derniereActiviteEmploiFormation', 'query ActiviteEF($ids: [ID!]!, $date: Date) { derniereActiviteEmploiFormation(parcoursIds: $ids, date: $date) { parcoursId date } }'],
} as const;

/**
 * The date of each parcours's latest event in each domain, on or before `date`, through the
 * gateway as the caller: one query per domain and per 500 parcours, each domain apart, so that
 * one that does not answer leaves the other's dates known. `erreurs` names each domain whose
 * dates are missing (the stale-file alert then counts only what is known, and says so).
 */
export async function activitesDomaines(ctx: CoordinationContext, parcoursIds: string[], date: string): Promise<{ dates: Map<string, (string | null)[]>; erreurs: string[] }> {
  const dates = new Map<string, (string | null)[]>();
  const erreurs: string[] = [];
  if (parcoursIds.length === 0) return { dates, erreurs };
  const lots: string[][] = [];
  for (let i = 0; i < parcoursIds.length; i += REFUS_PAR_REQUETE) lots.push(parcoursIds.slice(i, i + REFUS_PAR_REQUETE));
  await Promise.all(
    Object.entries(ACTIVITE_QUERIES).map(async ([domaine, [champ, query]]) => {
      try {
        const reponses = await Promise.all(lots.map((ids) => ctx.gateway.query<Record<string, { parcoursId: string; date: string | null }[] | null>>(query, { ids, date })));
        if (reponses.some((data) => !data?.[champ])) throw new Error(`le domaine ${domaine} n’a pas donné ses dates d’activité`);
        for (const data of reponses) for (const r of data![champ]!) dates.set(r.parcoursId, [...(dates.get(r.parcoursId) ?? []), r.date]);
      } catch (error) {
        ctx.logger.warn({ err: error, domaine }, 'alerts: a domain\'s activity dates unavailable');
        erreurs.push(`L'activité enregistrée par ${domaine} n'a pas pu être lue (${error instanceof Error ? error.message : String(error)}) : l'alerte SANS_ACTIVITE ne compte que l'activité connue.`);
      }
    }),
  );
  return { dates, erreurs: erreurs.sort() };
}

const activiteLoaders = new WeakMap<CoordinationContext, Map<string, DataLoader<string, (string | null)[]>>>();

/**
 * The request's loader of the domains' activity dates on one past `date` (`Parcours.alertes(date:)`
 * in a list): the parcours asked for the same day are read together, one query per domain.
 */
export function activiteLoader(ctx: CoordinationContext, date: string): DataLoader<string, (string | null)[]> {
  let parDate = activiteLoaders.get(ctx);
  if (!parDate) activiteLoaders.set(ctx, (parDate = new Map()));
  let loader = parDate.get(date);
  if (!loader) {
    loader = new DataLoader<string, (string | null)[]>(async (ids) => {
      const { dates } = await activitesDomaines(ctx, [...ids], date);
      return ids.map((id) => dates.get(id) ?? []);
    });
    parDate.set(date, loader);
  }
  return loader;
}
