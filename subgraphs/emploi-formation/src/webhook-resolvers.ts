import { webhookApi, type WebhookEventType } from '@agir/common';

/** The events Emploi & Formation writes to its outbox (resolvers.ts, ajouterContratTravail). */
export const EVENEMENTS_EMPLOI_FORMATION = ['CONTRAT_SIGNE'] as const satisfies readonly WebhookEventType[];

/**
 * The webhook API of Emploi & Formation: a member association of the domain subscribes its own
 * tool (a token of its structure with the REFERENT_EMPLOI_FORMATION role, ideally issued to the
 * tool alone) to the domain's events. Each event goes only to the structure whose referent
 * recorded it, so a subscriber hears of the parcours it accompanies and no other.
 */
export const webhookResolvers = webhookApi({
  suffix: 'EmploiFormation',
  events: EVENEMENTS_EMPLOI_FORMATION,
  roles: ['REFERENT_EMPLOI_FORMATION', 'ADMIN'],
  domain: 'Emploi & Formation',
});
