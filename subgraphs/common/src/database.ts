import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import type { Logger } from './logger';
import { IdempotencySubscriber } from './idempotency';
import { AuthorTaggingSubscriber } from './request-scope';

/**
 * Counts the SQL statements a data source runs, in total and per request (through an
 * AsyncLocalStorage scope that the server opens around each request). The per-request count is
 * logged with each request; the total is what the no-N+1 tests compare across page sizes.
 */
export class SqlCounter {
  total = 0;
  private readonly scope = new AsyncLocalStorage<{ count: number }>();
  private readonly listeners = new Set<(sql: string, parameters: readonly unknown[]) => void>();

  enterRequest(): { count: number } {
    const store = { count: 0 };
    this.scope.enterWith(store);
    return store;
  }

  record(sql = '', parameters: readonly unknown[] = []): void {
    this.total += 1;
    const store = this.scope.getStore();
    if (store) store.count += 1;
    for (const listener of this.listeners) listener(sql, parameters);
  }

  /**
   * Calls `listener` with the text and parameters of every statement run from now on, until the
   * returned function is called: how the plan tests obtain the statements a query really runs.
   */
  listen(listener: (sql: string, parameters: readonly unknown[]) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

/** Sends TypeORM's messages to pino and feeds the statement counter. */
class CountingLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger, private readonly counter: SqlCounter) {}
  logQuery(query: string, parameters?: unknown[]): void {
    this.counter.record(query, parameters ?? []);
    this.logger.trace({ sql: query }, 'sql');
  }
  logQueryError(error: string | Error, query: string): void {
    // A unique key refusing a concurrent write of the same thing (two imports of one OFII file) is
    // expected and handled by the write that hit it; one left unhandled is logged again, at error,
    // as the request's internal error.
    if ((error as { code?: string }).code === '23505') this.logger.info({ err: error, sql: query }, 'sql conflict on a unique key');
    else this.logger.error({ err: error, sql: query }, 'sql error');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, sql: query }, 'slow sql');
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

export interface DataSourceOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities: EntitySchema<any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  migrations: MixedList<Function>;
  logger: Logger;
  counter?: SqlCounter;
  poolSize?: number;
  /**
   * The deadline of each SQL statement, in ms (PostgreSQL's `statement_timeout`): a statement past
   * it is cancelled and its request answers an error instead of holding a connection. None when
   * absent (migrations, maintenance jobs, bulk loads).
   */
  statementTimeoutMs?: number;
}

/**
 * A TypeORM data source on the subgraph's own database. Schema changes come only from the
 * migrations (never `synchronize`), run in one transaction each by `migrate`.
 */
export function createDataSource(options: DataSourceOptions): { dataSource: DataSource; counter: SqlCounter } {
  const counter = options.counter ?? new SqlCounter();
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    subscribers: [AuthorTaggingSubscriber, IdempotencySubscriber],
    logger: new CountingLogger(options.logger, counter),
    maxQueryExecutionTime: 500,
    // No JIT compilation: the planner turns it on for any statement it expects to be costly, and
    // for the indicators' aggregations over a département it took longer (0.7 s at 30,000
    // parcours) than the whole statement does without it. 32 MB per sort or hash: with the
    // server's default of 4 MB those aggregations spilled to disk from about 50,000 parcours.
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.logger.bindings().service as string,
      options: '-c jit=off -c work_mem=32MB',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
  return { dataSource, counter };
}

/** Applies pending migrations; returns the names of those applied. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
