import { webhookApi, type WebhookEventType } from '@agir/common';

/** The events Coordination emits (parcours-actions.ts, mutations.ts); the domains emit their own. */
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
  'ACCES_EXCEPTIONNEL_OUVERT',
] as const satisfies readonly WebhookEventType[];

/**
 * The webhook API of Coordination: a member tool (with a COORDINATION token, or a dedicated one
 * carrying that role) subscribes its structure to Coordination's events and reads its delivery
 * log, under the root fields without suffix (`abonnementsWebhook`, `creerAbonnementWebhook`...).
 */
export const webhookResolvers = webhookApi({
  suffix: '',
  events: EVENEMENTS_COORDINATION,
  roles: ['COORDINATION', 'ADMIN'],
  domain: 'Coordination',
});
