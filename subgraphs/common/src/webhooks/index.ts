/**
 * Webhooks to member tools, shared by every subgraph that emits events: the tables
 * (`webhooksMigration`), the transactional outbox (`enqueueEvent`), the signature scheme
 * (`signWebhook`, `verifyWebhook`), the delivery worker (`DeliveryWorker`) and the queries behind
 * the webhook API (`createSubscription`, `listSubscriptions`, `resumeSubscription`, `listDeliveries`),
 * and that API's resolvers, which each subgraph builds for its own events (`webhookApi`).
 */
export * from './api';
export * from './migration';
export * from './outbox';
export * from './signature';
export * from './store';
export * from './worker';
