import { requireRole } from '../access';
import type { Role } from '../auth';
import { badUserInput, notFound } from '../errors';
import { parseId } from '../ids';
import type { BaseContext } from '../server';
import type { WebhookEventType } from './outbox';
import { createSubscription, DELIVERY_STATUSES, listDeliveries, listSubscriptions, resumeSubscription, type DeliveryStatus, type WebhookDelivery, type WebhookSubscription } from './store';

/**
 * The webhook API each subgraph serves over its own outbox: a member tool subscribes its
 * structure to the events that subgraph emits, lists its subscriptions, reads its delivery log
 * and resumes a paused subscription. Everything is scoped to the caller's structure (the token's
 * `structure` claim); the subscriptions and deliveries live in the subgraph's own database.
 *
 * The three subgraphs serve the same operations under their own root field names (federation
 * forbids two subgraphs to resolve the same root field differently): Coordination keeps the bare
 * names (`abonnementsWebhook`...), each domain suffixes them (`abonnementsWebhookDroitsLogement`...).
 * The object types (`AbonnementWebhook`, `AbonnementWebhookCree`, `LivraisonWebhook`) are one
 * `@shareable` definition repeated identically in the three SDLs.
 */
export interface WebhookApiOptions<Suffix extends string> {
  /** Appended to each root field name: '' for Coordination, 'DroitsLogement', 'EmploiFormation'. */
  suffix: Suffix;
  /** The events this subgraph emits: its subscriptions may name these and no others. */
  events: readonly WebhookEventType[];
  /** The roles that manage the structure's subscriptions and read its delivery log. */
  roles: readonly Role[];
  /** The subgraph in the users' words, for the messages: « Coordination », « Droits & Logement ». */
  domain: string;
}

/** A subscription as the API shows it (never its secret). */
export interface AbonnementWebhookVue {
  id: string;
  url: string;
  evenements: string[];
  actif: boolean;
  suspenduLe: Date | null;
  echecsConsecutifs: number;
  creeLe: Date;
}

/** One delivery of the log, as the API shows it. */
export interface LivraisonWebhookVue {
  id: string;
  evenementId: string;
  typeEvenement: string;
  parcoursId: string | null;
  abonnementId: string;
  statut: string;
  essais: number;
  prochainEssaiLe: Date;
  derniereErreur: string | null;
  dernierCodeHttp: number | null;
  livreeLe: Date | null;
  creeLe: Date;
}

type Resolver<Args, Result> = (parent: unknown, args: Args, ctx: BaseContext) => Promise<Result>;

export type WebhookApiResolvers<Suffix extends string> = {
  Query: { [K in `abonnementsWebhook${Suffix}`]: Resolver<Record<string, never>, AbonnementWebhookVue[]> } & {
    [K in `livraisonsWebhook${Suffix}`]: Resolver<{ statut?: string | null; limite?: number | null }, LivraisonWebhookVue[]>;
  };
  Mutation: { [K in `creerAbonnementWebhook${Suffix}`]: Resolver<{ url: string; evenements: string[] }, { abonnement: AbonnementWebhookVue; secret: string }> } & {
    [K in `reprendreAbonnementWebhook${Suffix}`]: Resolver<{ id: string }, AbonnementWebhookVue>;
  };
};

/**
 * Where each subgraph's events are subscribed, for the message refusing an event this subgraph
 * does not emit: the caller learns where to go rather than only that it came to the wrong place.
 */
const WHERE_TO_SUBSCRIBE =
  "Chaque subgraph abonne à ses propres événements : Coordination (creerAbonnementWebhook), Droits & Logement (creerAbonnementWebhookDroitsLogement), Emploi & Formation (creerAbonnementWebhookEmploiFormation).";

function abonnementVue(s: WebhookSubscription): AbonnementWebhookVue {
  return {
    id: s.id,
    url: s.url,
    evenements: s.eventTypes,
    actif: s.active,
    suspenduLe: s.pausedAt,
    echecsConsecutifs: s.consecutiveFailures,
    creeLe: s.createdAt,
  };
}

function livraisonVue(d: WebhookDelivery): LivraisonWebhookVue {
  return {
    id: d.id,
    evenementId: d.eventId,
    typeEvenement: d.eventType,
    parcoursId: d.parcoursId,
    abonnementId: d.subscriptionId,
    statut: d.status,
    essais: d.attempts,
    prochainEssaiLe: d.nextAttemptAt,
    derniereErreur: d.lastError,
    dernierCodeHttp: d.lastStatusCode,
    livreeLe: d.deliveredAt,
    creeLe: d.createdAt,
  };
}

/**
 * The resolvers of one subgraph's webhook API, to merge into its resolver map. Refusals: a role
 * outside `roles` is FORBIDDEN; an event this subgraph does not emit, an empty list, a bad URL, a
 * bad `statut` or `limite` are BAD_USER_INPUT naming the argument (`evenements` refusals also
 * carry `evenementsPermis`, the events this subgraph emits); another structure's subscription is
 * NOT_FOUND, as if it did not exist.
 */
export function webhookApi<Suffix extends string>(options: WebhookApiOptions<Suffix>): WebhookApiResolvers<Suffix> {
  const { suffix, domain } = options;
  const roles = [...options.roles];
  const events: readonly string[] = options.events;
  if (events.length === 0) throw new Error(`webhookApi(${domain}): a subgraph with a webhook API emits at least one event, got an empty list`);

  const query = {
    async [`abonnementsWebhook${suffix}`](_parent: unknown, _args: Record<string, never>, ctx: BaseContext) {
      requireRole(ctx.viewer, roles, `La liste des abonnements webhook de ${domain}`);
      return (await listSubscriptions(ctx.dataSource, ctx.viewer.structureId)).map(abonnementVue);
    },
    async [`livraisonsWebhook${suffix}`](_parent: unknown, args: { statut?: string | null; limite?: number | null }, ctx: BaseContext) {
      requireRole(ctx.viewer, roles, `Le journal des livraisons webhook de ${domain}`);
      if (args.statut != null && !DELIVERY_STATUSES.includes(args.statut as DeliveryStatus)) {
        throw badUserInput(`« statut » doit valoir ${DELIVERY_STATUSES.join(', ')}, reçu « ${args.statut} ».`, 'statut');
      }
      const limite = args.limite ?? 50;
      if (!Number.isInteger(limite) || limite < 1 || limite > 500) throw badUserInput(`« limite » doit être un entier entre 1 et 500, reçu ${limite}.`, 'limite');
      const livraisons = await listDeliveries(ctx.dataSource, {
        structureId: ctx.viewer.structureId,
        ...(args.statut != null ? { status: args.statut as DeliveryStatus } : {}),
        limit: limite,
      });
      return livraisons.map(livraisonVue);
    },
  };

  const mutation = {
    async [`creerAbonnementWebhook${suffix}`](_parent: unknown, args: { url: string; evenements: string[] }, ctx: BaseContext) {
      requireRole(ctx.viewer, roles, `L'abonnement aux webhooks de ${domain}`);
      if (args.evenements.length === 0) {
        throw badUserInput(`Un abonnement porte sur au moins un événement parmi ceux qu'émet ${domain} : ${events.join(', ')}.`, 'evenements', { evenementsPermis: events });
      }
      const inconnus = [...new Set(args.evenements.filter((e) => !events.includes(e)))];
      if (inconnus.length > 0) {
        throw badUserInput(
          `${domain} n'émet pas ${inconnus.join(', ')} : abonnez-vous ici à ${events.join(', ')}. ${WHERE_TO_SUBSCRIBE}`,
          'evenements',
          { evenementsInconnus: inconnus, evenementsPermis: events },
        );
      }
      try {
        const cree = await createSubscription(ctx.dataSource, { structureId: ctx.viewer.structureId, url: args.url, eventTypes: args.evenements });
        return { abonnement: abonnementVue(cree), secret: cree.secret };
      } catch (error) {
        // The store names its fields in English; the API's argument is `evenements`.
        const ext = (error as { extensions?: Record<string, unknown> }).extensions;
        if (ext?.field === 'eventTypes') ext.field = 'evenements';
        throw error;
      }
    },
    async [`reprendreAbonnementWebhook${suffix}`](_parent: unknown, args: { id: string }, ctx: BaseContext) {
      requireRole(ctx.viewer, roles, `La reprise d'un abonnement webhook de ${domain}`);
      const id = parseId(args.id, 'id');
      const repris = await resumeSubscription(ctx.dataSource, id, { structureId: ctx.viewer.structureId });
      if (!repris) throw notFound('abonnement webhook', id);
      return abonnementVue(repris);
    },
  };

  return { Query: query, Mutation: mutation } as unknown as WebhookApiResolvers<Suffix>;
}
