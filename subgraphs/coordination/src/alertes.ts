import type { ParcoursRow } from './entities';
import type { CoordinationContext } from './loaders';
import { alertes, echeances, type Alerte, type Echeance, type OptionsAlertes, type ParcoursEcheances, type TypeEvaluation } from './rules';

/**
 * Feeds the deadline and alert rules (`rules/deadlines.ts`) with what Coordination records of a
 * parcours, loaded through the request's loaders (so a whole département costs one batch per
 * table), plus the housing refusal count that only Droits & Logement knows.
 */

/** A parcours's dates and facts, in the shape the rules read. */
export async function instantane(ctx: CoordinationContext, p: ParcoursRow, nombreRefusLogement: number | null): Promise<ParcoursEcheances> {
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
    dateDerniereActivite: activite?.date ?? null,
    nombreRefusLogement,
  };
}

export async function alertesParcours(ctx: CoordinationContext, p: ParcoursRow, refus: number | null, aujourdhui: string, options: OptionsAlertes): Promise<Alerte[]> {
  return alertes(await instantane(ctx, p, refus), aujourdhui, options);
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
