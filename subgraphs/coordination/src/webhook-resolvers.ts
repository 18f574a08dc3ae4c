import {
  badUserInput,
  createSubscription,
  DELIVERY_STATUSES,
  listDeliveries,
  listSubscriptions,
  notFound,
  parseId,
  requireRole,
  resumeSubscription,
  type DeliveryStatus,
  type Role,
  type WebhookDelivery,
  type WebhookSubscription,
} from '@agir/common';
import type { Resolvers } from './generated/resolvers-types';

/**
 * The webhook API of Coordination: a member tool (with a COORDINATION token, or a dedicated one
 * carrying that role) subscribes its structure to Coordination's events and reads its delivery
 * log. Everything is scoped to the caller's structure (the token's `structure` claim).
 */
const ROLES: Role[] = ['COORDINATION', 'ADMIN'];

/** The events Coordination emits; the others are the domains' (their subscription API comes next). */
export const EVENEMENTS_COORDINATION = [
  'PARCOURS_ORIENTE',
  'DIAGNOSTIC_REALISE',
  'COMMISSION_REALISEE',
  'PARCOURS_CONTRACTUALISE',
  'REFERENT_CHANGE',
  'PARCOURS_SORTI',
  'PARCOURS_EXCLU',
  'PARCOURS_ABANDON',
  'SUIVI_REALISE',
] as const;

function abonnementVue(s: WebhookSubscription) {
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

function livraisonVue(d: WebhookDelivery) {
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

export const webhookResolvers: Resolvers = {
  Query: {
    async abonnementsWebhook(_parent, _args, ctx) {
      requireRole(ctx.viewer, ROLES, 'La liste des abonnements webhook');
      return (await listSubscriptions(ctx.dataSource, ctx.viewer.structureId)).map(abonnementVue);
    },
    async livraisonsWebhook(_parent, args, ctx) {
      requireRole(ctx.viewer, ROLES, 'Le journal des livraisons webhook');
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
  },
  Mutation: {
    async creerAbonnementWebhook(_parent, args, ctx) {
      requireRole(ctx.viewer, ROLES, "L'abonnement aux webhooks");
      const autres = args.evenements.filter((e) => !(EVENEMENTS_COORDINATION as readonly string[]).includes(e));
      if (autres.length > 0) {
        throw badUserInput(
          `Coordination n'émet pas ${autres.join(', ')} : abonnez-vous ici à ${EVENEMENTS_COORDINATION.join(', ')} (les événements des domaines s'abonneront auprès d'eux).`,
          'evenements',
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
    async reprendreAbonnementWebhook(_parent, args, ctx) {
      requireRole(ctx.viewer, ROLES, "La reprise d'un abonnement webhook");
      const id = parseId(args.id, 'id');
      const repris = await resumeSubscription(ctx.dataSource, id, { structureId: ctx.viewer.structureId });
      if (!repris) throw notFound('abonnement webhook', id);
      return abonnementVue(repris);
    },
  },
};
