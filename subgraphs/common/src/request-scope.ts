import { AsyncLocalStorage } from 'node:async_hooks';
import { getMetadataArgsStorage, type EntitySubscriberInterface, type TransactionStartEvent } from 'typeorm';
import type { Viewer } from './auth';
import type { IdempotencyClaim } from './idempotency';

/** Who the current request acts for, wherever its code runs (set once the token is verified). */
interface RequestScope {
  viewer: Viewer;
  requestId: string;
  /** The mutation's idempotency key, claimed by its first transaction (see idempotency.ts). */
  idempotency?: IdempotencyClaim;
}

const scope = new AsyncLocalStorage<RequestScope>();

export function enterRequestScope(value: RequestScope): void {
  scope.enterWith(value);
}

export function currentRequestScope(): RequestScope | undefined {
  return scope.getStore();
}

/**
 * Tags every transaction with its author: the database's change-journal triggers read these
 * settings (transaction-local, so nothing leaks to the next user of a pooled connection) to write
 * who changed what, whatever code path made the change.
 */
export class AuthorTaggingSubscriber implements EntitySubscriberInterface {
  async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
    const current = scope.getStore();
    if (!current) return;
    const { viewer, requestId } = current;
    await event.queryRunner.query(
      `SELECT set_config('agir.user_id', $1, true), set_config('agir.user_name', $2, true), set_config('agir.structure_id', $3, true),
              set_config('agir.roles', $4, true), set_config('agir.request_id', $5, true)`,
      [viewer.userId, viewer.name ?? '', viewer.structureId, viewer.roles.join(','), requestId],
    );
  }
}

// Registered as TypeORM registers a decorated subscriber (the project uses no decorators): a
// subscriber without this entry is silently dropped by the data source.
getMetadataArgsStorage().entitySubscribers.push({ target: AuthorTaggingSubscriber });
