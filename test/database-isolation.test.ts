import { randomBytes } from 'node:crypto';
import { dropDatabase, ownerRole, provisionDatabase, withDatabase } from '@agir/common';
import { Client } from 'pg';
import { databaseName, SUBGRAPH_NAMES } from '../scripts/hub';
import { adminUrl } from './support/hub';

/**
 * Each association's subgraph reaches its database with a role of its own; that role must not be
 * able to open the other associations' databases.
 */
describe('one database and one role per subgraph', () => {
  const prefix = `agir_iso${randomBytes(4).toString('hex')}`;
  const specs = SUBGRAPH_NAMES.map((name) => {
    const database = databaseName(prefix, name);
    return { name, database, role: database, password: `${database}-pw` };
  });
  const urlAs = (role: string, password: string, database: string) => withDatabase(adminUrl(), database, { user: role, password });

  beforeAll(async () => {
    for (const spec of specs) await provisionDatabase(adminUrl(), spec);
  });
  afterAll(async () => {
    for (const spec of specs) await dropDatabase(adminUrl(), spec);
  });

  it('lets the owner create tables and the application role use them, not alter the schema', async () => {
    for (const spec of specs) {
      const owner = new Client({ connectionString: urlAs(ownerRole(spec.role), spec.password, spec.database) });
      await owner.connect();
      await owner.query('CREATE TABLE probe (id int)');
      await owner.end();
      const app = new Client({ connectionString: urlAs(spec.role, spec.password, spec.database) });
      await app.connect();
      await app.query('INSERT INTO probe VALUES (1)');
      expect((await app.query('SELECT count(*)::int AS n FROM probe')).rows).toEqual([{ n: 1 }]);
      await expect(app.query('CREATE TABLE intruder (id int)')).rejects.toMatchObject({ code: '42501' });
      await expect(app.query('DROP TABLE probe')).rejects.toMatchObject({ code: '42501' });
      await app.end();
    }
  });

  it.each(SUBGRAPH_NAMES.flatMap((from) => SUBGRAPH_NAMES.filter((to) => to !== from).map((to) => [from, to])))(
    'refuses the %s role a connection to the %s database',
    async (from, to) => {
      const own = specs.find((s) => s.name === from)!;
      const other = specs.find((s) => s.name === to)!;
      for (const role of [own.role, ownerRole(own.role)]) {
        const client = new Client({ connectionString: urlAs(role, own.password, other.database) });
        await expect(client.connect()).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('permission denied for database') });
        await client.end().catch(() => undefined);
      }
    },
  );

  it('does not let a role create objects in the public schema of another database even through PUBLIC', async () => {
    const admin = new Client({ connectionString: withDatabase(adminUrl(), specs[1]!.database) });
    await admin.connect();
    const { rows } = await admin.query(
      `SELECT has_database_privilege($1, current_database(), 'CONNECT') AS can_connect,
              has_schema_privilege($1, 'public', 'USAGE') AS can_use_schema`,
      [specs[0]!.role],
    );
    await admin.end();
    expect(rows).toEqual([{ can_connect: false, can_use_schema: false }]);
  });
});
