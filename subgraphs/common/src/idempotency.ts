/**
 * Idempotent mutations, the same way in every subgraph: a member tool that does not know whether
 * its write happened (a timeout on its side, a restart) sends the mutation again with the same
 * `Idempotency-Key` HTTP header, and gets the first answer without a second write.
 *
 * - The key is the caller's (the token's `sub`): two users never see each other's answers.
 * - Its row (`idempotency_key`) is inserted at the start of the first transaction the mutation
 *   opens, so it commits or rolls back with the write itself: a refused or failed write keeps no
 *   key, and a write that committed always has its key. A concurrent request with the same key
 *   waits on that row, then sees it taken, and its own transaction writes nothing.
 * - The row holds a fingerprint of what was asked (the root fields and their arguments, variables
 *   resolved) and, once answered, the answer. The same key with another fingerprint is refused
 *   (`CLE_IDEMPOTENCE_REUTILISEE`).
 * - A retry of a write that committed but whose answer is unknown (the process stopped before
 *   storing it) or incomplete (a field could not be read from another domain, an internal error)
 *   answers `REPONSE_IDEMPOTENTE_INDISPONIBLE` with `ecritureEnregistree: true`: replaying an
 *   "unavailable, retry" answer would make the caller retry a write that is done, forever.
 * - Rows are kept at least `IDEMPOTENCY_RETENTION_HOURS` (24 h); `npm run audit:purge` deletes
 *   the older ones.
 *
 * The gateway passes the header on to the subgraphs for mutation fetches only.
 */
import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextDidResolveOperation, type GraphQLResponse } from '@apollo/server';
import { getArgumentValues, GraphQLError, Kind, print, type FormattedExecutionResult, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { DataSource, EntitySubscriberInterface, MigrationInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent, TransactionStartEvent } from 'typeorm';
import { getMetadataArgsStorage } from 'typeorm';
import { ErrorCode } from './errors';
import { currentRequestScope } from './request-scope';
import type { BaseContext } from './server';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_TABLE = 'idempotency_key';
/** How long a key answers its first response, at least (the purge job deletes older rows). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;
/** How long a retry waits for the answer of a first request still in flight. */
const WAIT_FOR_FIRST_ANSWER_MS = 5_000;

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Errors that make an answer incomplete rather than final: a later read would answer otherwise. */
const INCOMPLETE = new Set([ErrorCode.SUBGRAPH_UNAVAILABLE, ErrorCode.INTERNAL_SERVER_ERROR, 'SERVICE_UNAVAILABLE']);

/** What one mutation request with a key carries through its transactions. */
export interface IdempotencyClaim {
  caller: string;
  key: string;
  fingerprint: string;
  /** Set once a transaction that inserted the key has committed. */
  committed: boolean;
  /** Set when another request holds the key (it committed first). */
  takenByAnother: boolean;
  /** True while the operation executes: transactions opened then claim the key. */
  executing: boolean;
}

/** A transaction found the key already taken by a concurrent request with the same key. */
class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key taken by a concurrent request');
  }
}

/** The idempotency tables, created by each subgraph's migration list (one factory, one table). */
export function idempotencyMigration(timestamp: number): new () => MigrationInterface {
  const name = `Idempotency${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        CREATE TABLE ${IDEMPOTENCY_TABLE} (
          caller text NOT NULL,
          cle text NOT NULL CHECK (length(cle) BETWEEN 1 AND 255),
          empreinte text NOT NULL,
          reponse jsonb,
          -- false: the write committed but its answer had a domain unavailable or an internal error.
          reponse_complete boolean,
          created_at timestamptz NOT NULL DEFAULT now(),
          answered_at timestamptz,
          PRIMARY KEY (caller, cle)
        )`);
      await q.query(`CREATE INDEX ${IDEMPOTENCY_TABLE}_created_at_idx ON ${IDEMPOTENCY_TABLE} (created_at)`);
      // A key is never moved to another caller or request; only its answer is written later.
      await q.query(`COMMENT ON TABLE ${IDEMPOTENCY_TABLE} IS 'Idempotency-Key of mutations: fingerprint of the request and its first answer, kept at least 24 h.'`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE ${IDEMPOTENCY_TABLE}`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

/** Deletes the keys older than `retentionHours` (never less than 24 h); returns how many. */
export async function purgeIdempotencyKeys(db: DataSource, retentionHours: number = IDEMPOTENCY_RETENTION_HOURS): Promise<number> {
  if (!(retentionHours >= IDEMPOTENCY_RETENTION_HOURS)) {
    throw new Error(`La durée de conservation des clés d'idempotence doit être d'au moins ${IDEMPOTENCY_RETENTION_HOURS} heures (reçu ${retentionHours}).`);
  }
  const result = (await db.query(`DELETE FROM ${IDEMPOTENCY_TABLE} WHERE created_at < now() - make_interval(hours => $1)`, [retentionHours])) as [unknown, number];
  return result[1];
}

/** JSON with object keys sorted, so that equal inputs give equal text whatever their order. */
function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/**
 * What a mutation asks, independent of how it is written: each root field with its arguments
 * as the schema coerces them (literals and variables alike), in order. The selection set is not
 * part of it: the same write asked for with other fields back is the same write.
 */
export function mutationFingerprint(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): string {
  const mutationType = schema.getMutationType();
  const fields: unknown[] = [];
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = mutationType?.getFields()[selection.name.value];
        let args: unknown;
        try {
          args = definition ? getArgumentValues(definition, selection, variables) : null;
        } catch {
          // Arguments the scalars refuse: execution answers the error; the text still tells writes apart.
          args = print({ kind: Kind.SELECTION_SET, selections: [{ ...selection, selectionSet: undefined }] });
        }
        fields.push([selection.name.value, args]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return createHash('sha256').update(canonical(fields)).digest('hex');
}

function refused(message: string, code: string, status: number, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, field: 'Idempotency-Key', http: { status }, ...details } });
}

interface StoredKey {
  empreinte: string;
  reponse: FormattedExecutionResult | null;
  reponse_complete: boolean | null;
}

async function readKey(db: DataSource, caller: string, key: string): Promise<StoredKey | null> {
  const rows = (await db.query(`SELECT empreinte, reponse, reponse_complete FROM ${IDEMPOTENCY_TABLE} WHERE caller = $1 AND cle = $2`, [caller, key])) as StoredKey[];
  return rows[0] ?? null;
}

function replay(result: FormattedExecutionResult): GraphQLResponse {
  return { http: { status: undefined, headers: new HeaderMap([['idempotent-replayed', 'true']]) }, body: { kind: 'single', singleResult: result } };
}

/**
 * The answer a retry gets for a key already taken with the same fingerprint: the stored answer,
 * waiting a few seconds for a first request still in flight; or, when the first request's
 * process stopped between its commit and its answer, a typed error saying the write was made.
 */
async function storedAnswer(db: DataSource, claim: IdempotencyClaim): Promise<FormattedExecutionResult> {
  const deadline = Date.now() + WAIT_FOR_FIRST_ANSWER_MS;
  for (;;) {
    const stored = await readKey(db, claim.caller, claim.key);
    if (stored && stored.empreinte !== claim.fingerprint) throw reused(claim.key);
    if (stored?.reponse && stored.reponse_complete === false) {
      // Replaying it would tell the caller to retry a write that is done, forever.
      throw refused(
        `La mutation envoyée avec la clé d'idempotence « ${claim.key} » a été enregistrée, mais sa réponse était incomplète (un domaine ne répondait pas, ou une erreur interne) : relisez l'objet au lieu de réécrire.`,
        'REPONSE_IDEMPOTENTE_INDISPONIBLE',
        409,
        { ecritureEnregistree: true },
      );
    }
    if (stored?.reponse) return stored.reponse;
    if (Date.now() > deadline) {
      throw refused(
        `La mutation envoyée avec la clé d'idempotence « ${claim.key} » a été enregistrée, mais sa réponse n'est pas disponible (le service s'est interrompu juste après l'écriture, ou elle est encore en cours) : relisez l'objet au lieu de réécrire.`,
        'REPONSE_IDEMPOTENTE_INDISPONIBLE',
        409,
        { ecritureEnregistree: stored !== null },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A typed refusal as a whole response, its HTTP status from the error and not shown to the client. */
function refusal(error: GraphQLError): GraphQLResponse {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } };
  return {
    http: { status: http?.status, headers: new HeaderMap() },
    body: { kind: 'single', singleResult: { errors: [{ message: error.message, extensions }] } },
  };
}

function reused(key: string): GraphQLError {
  return refused(
    `La clé d'idempotence « ${key} » a déjà servi pour une autre mutation ou d'autres arguments : une clé désigne une seule écriture. Envoyez cette mutation avec une nouvelle clé (un UUID par écriture).`,
    'CLE_IDEMPOTENCE_REUTILISEE',
    422,
  );
}

/**
 * The Apollo plugin of every subgraph: reads the key of a mutation, answers a retry with the
 * stored answer (or refuses a reused key) before anything executes, lets the write's transaction
 * claim the key (see `IdempotencySubscriber`), and stores the answer once it is known.
 */
export function idempotencyPlugin<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart({ request }) {
      const header = request.http?.headers.get(IDEMPOTENCY_KEY_HEADER);
      if (header === undefined || header === null) return {};
      let claim: IdempotencyClaim | undefined;
      let replayed = false;
      return {
        async didResolveOperation(context: GraphQLRequestContextDidResolveOperation<Ctx>) {
          const operation = context.operation;
          if (operation?.operation !== 'mutation') return;
          if (!KEY_FORMAT.test(header)) {
            throw refused(
              `L'en-tête Idempotency-Key doit faire de 1 à 255 caractères ASCII visibles, sans espace (reçu ${header.length} caractères) : envoyez par exemple un UUID.`,
              ErrorCode.BAD_USER_INPUT,
              400,
            );
          }
          claim = {
            caller: context.contextValue.viewer.userId,
            key: header,
            fingerprint: mutationFingerprint(context.schema, operation, context.request.variables ?? {}),
            committed: false,
            takenByAnother: false,
            executing: false,
          };
          const stored = await readKey(context.contextValue.dataSource, claim.caller, claim.key);
          if (stored && stored.empreinte !== claim.fingerprint) throw reused(claim.key);
          const scope = currentRequestScope();
          if (scope) scope.idempotency = claim;
        },
        async responseForOperation({ contextValue }) {
          if (!claim) return null;
          const stored = await readKey(contextValue.dataSource, claim.caller, claim.key);
          if (!stored) return null;
          replayed = true;
          try {
            return replay(await storedAnswer(contextValue.dataSource, claim));
          } catch (error) {
            // A response rather than a throw: Apollo reports errors thrown here as internal ones.
            if (!(error instanceof GraphQLError)) throw error;
            return refusal(error);
          }
        },
        async executionDidStart() {
          if (claim) claim.executing = true;
          return {
            async executionDidEnd() {
              if (claim) claim.executing = false;
            },
          };
        },
        async willSendResponse({ response, contextValue }) {
          if (!claim || response.body.kind !== 'single') return;
          const db = contextValue.dataSource;
          if (claim.takenByAnother) {
            // A concurrent request with the same key wrote first: this one answers its answer.
            try {
              response.body.singleResult = await storedAnswer(db, claim);
            } catch (error) {
              if (!(error instanceof GraphQLError)) throw error;
              const answer = refusal(error);
              if (answer.body.kind === 'single') response.body.singleResult = answer.body.singleResult;
              if (answer.http.status) response.http.status = answer.http.status;
            }
            return;
          }
          if (replayed) return;
          const result = response.body.singleResult;
          const answer = { ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors ? { errors: result.errors.map((e) => JSON.parse(JSON.stringify(e)) as unknown) } : {}) };
          try {
            if (claim.committed) {
              const complete = !(result.errors ?? []).some((e) => INCOMPLETE.has(String(e.extensions?.code)));
              await db.query(`UPDATE ${IDEMPOTENCY_TABLE} SET reponse = $3, reponse_complete = $4, answered_at = now() WHERE caller = $1 AND cle = $2 AND reponse IS NULL`, [
                claim.caller,
                claim.key,
                JSON.stringify(answer),
                complete,
              ]);
            } else if (!result.errors?.length && result.data) {
              // A mutation that wrote outside a transaction (or wrote nothing) and succeeded.
              await db.query(
                `INSERT INTO ${IDEMPOTENCY_TABLE} (caller, cle, empreinte, reponse, reponse_complete, answered_at) VALUES ($1, $2, $3, $4, true, now()) ON CONFLICT DO NOTHING`,
                [claim.caller, claim.key, claim.fingerprint, JSON.stringify(answer)],
              );
            }
          } catch (error) {
            // The write is done and answered; a retry of this key will say its answer is unavailable.
            contextValue.logger.warn({ err: error }, 'idempotency answer not stored');
          }
        },
      };
    },
  };
}

/**
 * Claims the request's key at the start of each transaction the mutation opens, until one commits:
 * the key then lives or dies with the write. A transaction that finds the key taken by a
 * concurrent request (which waits for it to commit) is aborted before it writes anything.
 */
export class IdempotencySubscriber implements EntitySubscriberInterface {
  async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
    const claim = currentRequestScope()?.idempotency;
    if (!claim || !claim.executing || claim.committed || claim.takenByAnother) return;
    const rows = (await event.queryRunner.query(
      `INSERT INTO ${IDEMPOTENCY_TABLE} (caller, cle, empreinte) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING cle`,
      [claim.caller, claim.key, claim.fingerprint],
    )) as unknown[];
    if (rows.length === 0) {
      claim.takenByAnother = true;
      throw new IdempotencyKeyTaken();
    }
    event.queryRunner.data = { ...event.queryRunner.data, idempotencyClaim: claim };
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const claim = (event.queryRunner.data as { idempotencyClaim?: IdempotencyClaim } | undefined)?.idempotencyClaim;
    if (!claim) return;
    claim.committed = true;
    delete (event.queryRunner.data as { idempotencyClaim?: IdempotencyClaim }).idempotencyClaim;
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete (event.queryRunner.data as { idempotencyClaim?: IdempotencyClaim } | undefined)?.idempotencyClaim;
  }
}

// Registered as TypeORM registers a decorated subscriber (see AuthorTaggingSubscriber).
getMetadataArgsStorage().entitySubscribers.push({ target: IdempotencySubscriber });
