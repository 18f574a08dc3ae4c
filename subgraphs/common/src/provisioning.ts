import { Client } from 'pg';

/**
 * Creates (if missing) a subgraph's database and its two roles, from an administrator connection:
 * - the owner (`<role>_owner`), which owns the schema and runs the migrations;
 * - the application role (`<role>`), which the running subgraph uses: it reads and writes the
 *   tables the owner creates, and nothing else, so that a table the migrations protect (the audit
 *   trail is insert-only) stays protected from the application itself.
 * The database is closed to PUBLIC: only its own roles (and superusers) may connect, which is what
 * keeps one association's subgraph out of another's data.
 */
export interface DatabaseSpec {
  database: string;
  role: string;
  password: string;
}

/** The name of the owner role of a subgraph's database. */
export const ownerRole = (role: string) => `${role}_owner`;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Nom PostgreSQL invalide « ${name} » : lettres minuscules, chiffres et _ seulement.`);
  return `"${name}"`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export async function provisionDatabase(adminUrl: string, spec: DatabaseSpec): Promise<void> {
  const owner = ownerRole(spec.role);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const role of [owner, spec.role]) {
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      await admin.query(`${exists.rowCount === 0 ? 'CREATE' : 'ALTER'} ROLE ${ident(role)} LOGIN PASSWORD ${literal(spec.password)}`);
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [spec.database]);
    if (db.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${ident(spec.database)} OWNER ${ident(owner)} ENCODING 'UTF8' TEMPLATE template0`);
    }
    await admin.query(`ALTER DATABASE ${ident(spec.database)} OWNER TO ${ident(owner)}`);
    await admin.query(`REVOKE ALL ON DATABASE ${ident(spec.database)} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(spec.database)} TO ${ident(owner)}, ${ident(spec.role)}`);
  } finally {
    await admin.end();
  }
  const inside = new Client({ connectionString: withDatabase(adminUrl, spec.database) });
  await inside.connect();
  try {
    // Objects an earlier version created as the application role move to the owner.
    await inside.query(`REASSIGN OWNED BY ${ident(spec.role)} TO ${ident(owner)}`);
    await inside.query(`ALTER SCHEMA public OWNER TO ${ident(owner)}`);
    await inside.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    await inside.query(`GRANT USAGE ON SCHEMA public TO ${ident(spec.role)}`);
    // What the owner's migrations create, the application may read and write, unless a migration
    // revokes it (the audit trail).
    await inside.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner)} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${ident(spec.role)}`,
    );
    await inside.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner)} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${ident(spec.role)}`);
  } finally {
    await inside.end();
  }
}

/** Drops a database and its role; for tests and `npm start -- --reset`. */
export async function dropDatabase(adminUrl: string, spec: Pick<DatabaseSpec, 'database' | 'role'>): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(spec.database)} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${ident(spec.role)}`);
    await admin.query(`DROP ROLE IF EXISTS ${ident(ownerRole(spec.role))}`);
  } finally {
    await admin.end();
  }
}

/** The same server URL with another database, and optionally other credentials. */
export function withDatabase(url: string, database: string, credentials?: { user: string; password: string }): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (credentials) {
    parsed.username = encodeURIComponent(credentials.user);
    parsed.password = encodeURIComponent(credentials.password);
  }
  return parsed.toString();
}
