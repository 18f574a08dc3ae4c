import { enqueueEvent, ErrorCode, notFound, type Viewer, type WebhookEventType } from '@agir/common';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { autoriserParcours } from './access';
import type { ParcoursRow, StatutParcours } from './entities';
import { pasAvant } from './inputs';
import type { CoordinationContext } from './loaders';
import { appliquerTransition, criteresSortie, TransitionInvalide, type ActionParcours, type ContexteTransition, type ResultatTransition } from './rules';
import type { Auteur } from './stores/historique-store';

/**
 * How a parcours moves: one transaction that locks the parcours, asks the state machine
 * (`rules/parcours-state.ts`) whether the move is allowed, writes the new statut, the step's
 * content and the history row together, or changes nothing and answers a typed error.
 */

export function auteurDe(viewer: Viewer): Auteur {
  return { id: viewer.userId, nom: viewer.name, structureId: viewer.structureId };
}

/** A refused move, as the API answers it: TRANSITION_INVALIDE naming the statut and the allowed moves. */
export function transitionInvalide(error: TransitionInvalide, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: ErrorCode.TRANSITION_INVALIDE,
      statutActuel: error.statutActuel,
      action: error.action,
      actionsPermises: error.actionsPermises,
      ...(error.garde ? { garde: error.garde, raison: error.raison } : {}),
      ...details,
    },
  });
}

/** The state machine's context for a parcours row on `date`. */
export function contexteDe(p: ParcoursRow, date: string, extra: Partial<ContexteTransition> = {}): ContexteTransition {
  return {
    aujourdhui: date,
    dateContrat: p.dateContrat,
    dateFinContrat: p.dateFinContrat ?? null,
    dateReintegration: p.dateReintegration ?? null,
    dateSortie: p.dateSortie,
    dejaReintegre: p.dateReintegration != null,
    ...extra,
  };
}

export interface DemandeTransition {
  action: ActionParcours;
  /** The day the move took place. */
  date: string;
  motif?: string | null;
  reference?: string | null;
  /** Extra context for the guards (exit criteria, prefect's reference, exclusion motif, contract end). */
  contexte?: Partial<ContexteTransition>;
  /** The parcours columns the move sets besides the statut (the step's date...). */
  colonnes?(resultat: ResultatTransition, p: ParcoursRow): Partial<ParcoursRow>;
  /** Extra extensions for a refusal (the exit criteria, say). */
  details?: Record<string, unknown> | undefined;
  /** Writes the step's content, in the same transaction. */
  etape?(m: EntityManager, resultat: ResultatTransition, p: ParcoursRow): Promise<void>;
}

/**
 * Applies one move to a parcours for the caller, in one transaction: nothing is written unless the
 * statut, the step and the history row all are. Returns the parcours as it now is.
 */
export async function effectuerTransition(ctx: CoordinationContext, parcoursId: string, demande: DemandeTransition): Promise<ParcoursRow> {
  await ctx.dataSource.transaction(async (m) => {
    const p = await ctx.stores.parcours.lockById(m, parcoursId);
    if (!p) throw notFound('parcours', parcoursId);
    autoriserParcours(ctx.viewer, p);
    let resultat: ResultatTransition;
    try {
      resultat = appliquerTransition(p.statut, demande.action, contexteDe(p, demande.date, demande.contexte));
    } catch (error) {
      if (error instanceof TransitionInvalide) throw transitionInvalide(error, demande.details);
      throw error;
    }
    // The history reads in time order: a move cannot be dated before the previous one.
    const derniere = (await ctx.stores.historique.derniereDate(m, p.id)) ?? dernierJalon(p);
    pasAvant(demande.date, derniere, 'date', "l'étape précédente du parcours");
    const changements: Partial<ParcoursRow> = { statut: resultat.statut, ...demande.colonnes?.(resultat, p) };
    await ctx.stores.parcours.update(m, p.id, changements);
    await demande.etape?.(m, resultat, p);
    await ctx.stores.historique.ajouter(
      m,
      { parcoursId: p.id, action: demande.action, statutAvant: p.statut, statutApres: resultat.statut, dateEffet: demande.date, motif: demande.motif ?? null, reference: demande.reference ?? null },
      auteurDe(ctx.viewer),
    );
    // The webhooks, in this transaction: a refused or failed move announces nothing.
    const evenement = EVENEMENT_PAR_ACTION[demande.action];
    if (evenement) {
      await enqueueEvent(m, {
        type: evenement,
        parcoursId: p.id,
        structureIds: await structuresDuDepartement(m, p.departement),
        payload: {
          parcoursId: p.id,
          action: demande.action,
          statutAvant: p.statut,
          statut: resultat.statut,
          dateEffet: demande.date,
          departement: p.departement,
          ...(demande.action === 'CONTRACTUALISER' ? { dateFinContrat: changements.dateFinContrat ?? null } : {}),
          ...(demande.action === 'EXCLURE' ? { motifExclusion: changements.motifExclusion ?? null } : {}),
        },
      });
    }
    await emettreChangementReferents(m, p, { ...p, ...changements }, demande.date);
  });
  return relire(ctx, parcoursId);
}

/**
 * The webhook event each move announces (README, "Webhooks to member tools"); moves absent here
 * (convocation, closing, reintegration, end of rights, refusal) emit none yet.
 */
const EVENEMENT_PAR_ACTION: Partial<Record<ActionParcours, WebhookEventType>> = {
  REALISER_DIAGNOSTIC: 'DIAGNOSTIC_REALISE',
  TENIR_COMMISSION: 'COMMISSION_REALISEE',
  CONTRACTUALISER: 'PARCOURS_CONTRACTUALISE',
  SORTIR: 'PARCOURS_SORTI',
  EXCLURE: 'PARCOURS_EXCLU',
  ABANDONNER: 'PARCOURS_ABANDON',
  REALISER_SUIVI_3_MOIS: 'SUIVI_REALISE',
  REALISER_SUIVI_6_MOIS: 'SUIVI_REALISE',
};

/**
 * The structures that work in a département (`structure.departements`): only their tools hear of
 * its parcours, so that a member of one département's consortium learns nothing of another's.
 */
export async function structuresDuDepartement(m: EntityManager, departement: string): Promise<string[]> {
  const rows = (await m.query('SELECT id FROM structure WHERE $1 = ANY(departements)', [departement])) as { id: string }[];
  return rows.map((r) => r.id);
}

/** The structures that coordinate the programme in a département (a break-the-glass grant is announced to them). */
export async function structuresDeCoordination(m: EntityManager, departement: string): Promise<string[]> {
  const rows = (await m.query("SELECT id FROM structure WHERE $1 = ANY(departements) AND 'COORDINATION' = ANY(domaines)", [departement])) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Emits REFERENT_CHANGE, in the caller's transaction `m`, when the binôme of a parcours changes
 * (commission, designerBinome): the referents' ids only, never their names.
 */
export async function emettreChangementReferents(
  m: EntityManager,
  avant: Pick<ParcoursRow, 'id' | 'departement' | 'statut' | 'referentDroitsLogementId' | 'referentEmploiFormationId'>,
  apres: Pick<ParcoursRow, 'statut' | 'referentDroitsLogementId' | 'referentEmploiFormationId'>,
  date: string,
): Promise<void> {
  if (avant.referentDroitsLogementId === apres.referentDroitsLogementId && avant.referentEmploiFormationId === apres.referentEmploiFormationId) return;
  await enqueueEvent(m, {
    type: 'REFERENT_CHANGE',
    parcoursId: avant.id,
    structureIds: await structuresDuDepartement(m, avant.departement),
    payload: {
      parcoursId: avant.id,
      statut: apres.statut,
      dateEffet: date,
      referentDroitsLogementId: apres.referentDroitsLogementId ?? null,
      referentEmploiFormationId: apres.referentEmploiFormationId ?? null,
      referentDroitsLogementAvantId: avant.referentDroitsLogementId ?? null,
      referentEmploiFormationAvantId: avant.referentEmploiFormationId ?? null,
    },
  });
}

/** The parcours as committed, bypassing the request's loader cache (which may hold the old row). */
export async function relire(ctx: CoordinationContext, id: string): Promise<ParcoursRow> {
  const [row] = await ctx.stores.parcours.findByIds([id]);
  if (!row) throw notFound('parcours', id);
  ctx.loaders.parcours.clear(id).prime(id, row);
  ctx.loaders.historique.clear(id);
  return row;
}

/** Loads a parcours for a write outside a transition (content of a step), with its scope checked. */
export async function parcoursPourEcriture(ctx: CoordinationContext, m: EntityManager, parcoursId: string): Promise<ParcoursRow> {
  const p = await ctx.stores.parcours.lockById(m, parcoursId);
  if (!p) throw notFound('parcours', parcoursId);
  autoriserParcours(ctx.viewer, p);
  return p;
}

function dernierJalon(p: ParcoursRow): string {
  const dates = [p.dateOrientation, p.dateDiagnostic, p.dateCommission, p.dateContrat, p.dateSortie, p.dateReintegration].filter((d): d is string => d != null);
  return dates.sort().at(-1) ?? p.dateOrientation;
}

type FaitsSortie = {
  logementPourSortie: { categorie: string; type: string; durable: boolean; temporaireAccepte: boolean; depuis: string } | null;
  situationPourSortie: { categorie: string; stabilise: boolean; depuis: string | null } | null;
} | null;

/** The gateway refuses an operation with more aliases than its limit (`DEFAULT_LIMITS.maxAliases`, 15). */
const ALIAS_PAR_REQUETE = 15;

const FAITS_SORTIE = 'logementPourSortie(date: $date) { categorie type durable temporaireAccepte depuis } situationPourSortie(date: $date) { categorie stabilise depuis }';

/**
 * The two domains' exit facts of some parcours on `date`, through the gateway as the caller, in
 * one query per 15 parcours (one alias each, the gateway's limit; it asks each domain once per query). A
 * batch that fails (a domain down, a parcours the caller may not read) is asked again parcours by
 * parcours, so that one refusal leaves the others' facts known; a parcours whose facts cannot be
 * read maps to null.
 */
export async function faitsSortieAu(ctx: CoordinationContext, parcoursIds: readonly string[], date: string): Promise<Map<string, FaitsSortie>> {
  const lire = async (ids: readonly string[]) => {
    const alias = ids.map((_, i) => `p${i}: parcours(id: $id${i}) { ${FAITS_SORTIE} }`).join(' ');
    const params = ids.map((_, i) => `$id${i}: ID!`).join(', ');
    const variables: Record<string, unknown> = { date };
    ids.forEach((id, i) => (variables[`id${i}`] = id));
    const data = await ctx.gateway.query<Record<string, FaitsSortie>>(`query FaitsSortie($date: Date, ${params}) { ${alias} }`, variables);
    return new Map(ids.map((id, i) => [id, data?.[`p${i}`] ?? null] as const));
  };
  if (parcoursIds.length === 0) return new Map();
  if (parcoursIds.length > ALIAS_PAR_REQUETE) {
    const lots: string[][] = [];
    for (let i = 0; i < parcoursIds.length; i += ALIAS_PAR_REQUETE) lots.push(parcoursIds.slice(i, i + ALIAS_PAR_REQUETE));
    const parLot = await Promise.all(lots.map((ids) => faitsSortieAu(ctx, ids, date)));
    return new Map(parLot.flatMap((m) => [...m]));
  }
  try {
    return await lire(parcoursIds);
  } catch (error) {
    ctx.logger.warn({ err: error, parcoursIds: parcoursIds.length }, 'exit criteria: the domains did not answer through the gateway');
    if (parcoursIds.length === 1) return new Map([[parcoursIds[0]!, null]]);
    const uns = await Promise.all(parcoursIds.map((id) => faitsSortieAu(ctx, [id], date)));
    return new Map(uns.flatMap((m) => [...m]));
  }
}

/**
 * The exit criteria of a parcours on `date`, judged on the two domains' facts of that day read
 * through the gateway as the caller (a mutation cannot use @requires). A domain that does not
 * answer leaves its criterion unknown, so the exit is refused with the reason rather than allowed
 * on a guess.
 */
export async function criteresSortieViaGateway(ctx: CoordinationContext, parcoursId: string, date: string) {
  const faits = (await faitsSortieAu(ctx, [parcoursId], date)).get(parcoursId) ?? null;
  return criteresSortie({ logement: faits?.logementPourSortie ?? null, professionnel: faits?.situationPourSortie ?? null, aujourdhui: date });
}

/** Refuses a statut other than those listed, for content that belongs to a stage (an evaluation...). */
export function exigerStatut(p: ParcoursRow, statuts: readonly StatutParcours[], quoi: string): void {
  if (!statuts.includes(p.statut)) {
    throw new GraphQLError(`${quoi} n'est possible qu'aux statuts ${statuts.join(', ')} ; le parcours est au statut ${p.statut}.`, {
      extensions: { code: ErrorCode.STATUT_PARCOURS_INCOMPATIBLE, statut: p.statut, statutsPermis: statuts },
    });
  }
}

const faitsSortieLoaders = new WeakMap<CoordinationContext, Map<string, DataLoader<string, FaitsSortie>>>();

/**
 * The request's loader of the exit facts on one `date`: the parcours of a list asked for the same
 * day are read in one gateway query (`faitsSortieAu`). Lives as long as the request's context.
 */
export function faitsSortieLoader(ctx: CoordinationContext, date: string): DataLoader<string, FaitsSortie> {
  let parDate = faitsSortieLoaders.get(ctx);
  if (!parDate) faitsSortieLoaders.set(ctx, (parDate = new Map()));
  let loader = parDate.get(date);
  if (!loader) {
    loader = new DataLoader<string, FaitsSortie>(async (ids) => {
      const faits = await faitsSortieAu(ctx, ids, date);
      return ids.map((id) => faits.get(id) ?? null);
    });
    parDate.set(date, loader);
  }
  return loader;
}
