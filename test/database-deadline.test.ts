import { createDataSource, createLogger } from '@agir/common';
import { adminUrl } from './support/hub';

/** Each SQL statement of a service has a deadline: past it PostgreSQL cancels it, and the pool goes on. */
describe('the SQL statements deadline', () => {
  it('cancels a statement past it with a typed PostgreSQL error, and the connection serves the next one', async () => {
    const { dataSource } = createDataSource({ url: adminUrl(), entities: [], migrations: [], logger: createLogger('deadline-test', 'silent'), poolSize: 1, statementTimeoutMs: 200 });
    await dataSource.initialize();
    try {
      await expect(dataSource.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '57014' }) });
      expect(await dataSource.query(`SELECT current_setting('statement_timeout') AS deadline`)).toEqual([{ deadline: '200ms' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
