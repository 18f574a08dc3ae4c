import { webhookApi, type WebhookEventType } from '@agir/common';

/** The events Droits & Logement writes to its outbox (ecritures.ts). */
export const EVENEMENTS_DROITS_LOGEMENT = ['LOGEMENT_ENTREE'] as const satisfies readonly WebhookEventType[];

/**
 * The webhook API of Droits & Logement: a member association of the domain subscribes its own
 * tool (a token of its structure with the REFERENT_DROITS_LOGEMENT role, ideally issued to the
 * tool alone) to the domain's events. Each event goes only to the structure whose referent
 * recorded it (ecritures.ts), so a subscriber hears of the parcours it accompanies and no other.
 */
export const webhookResolvers = webhookApi({
  suffix: 'DroitsLogement',
  events: EVENEMENTS_DROITS_LOGEMENT,
  roles: ['REFERENT_DROITS_LOGEMENT', 'ADMIN'],
  domain: 'Droits & Logement',
});
