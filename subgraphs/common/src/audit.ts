import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { Viewer } from './auth';

/**
 * The audit trail each subgraph keeps in its own database: who (user, structure, roles), when,
 * which operation, which parcours, which fields, whether it was allowed, and for writes the
 * before/after of each changed field. The table is insert-only for the application role: the
 * migration that creates it, run by the owner role, revokes UPDATE, DELETE and TRUNCATE.
 */
export const AUDIT_TABLE = 'audit_log';

export function auditMigration(timestamp: number): new () => MigrationInterface {
  const name = `AuditLog${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        CREATE TABLE ${AUDIT_TABLE} (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT now(),
          request_id text,
          user_id text NOT NULL,
          user_name text,
          structure_id uuid,
          roles text[] NOT NULL,
          operation text NOT NULL CHECK (operation IN ('READ', 'WRITE', 'EXPORT', 'BREAK_GLASS')),
          action text NOT NULL,
          parcours_id uuid,
          fields text[] NOT NULL DEFAULT '{}',
          allowed boolean NOT NULL,
          via text,
          break_glass boolean NOT NULL DEFAULT false,
          changes jsonb
        )`);
      await q.query(`CREATE INDEX ${AUDIT_TABLE}_parcours_idx ON ${AUDIT_TABLE} (parcours_id, at)`);
      await q.query(`CREATE INDEX ${AUDIT_TABLE}_at_idx ON ${AUDIT_TABLE} (at)`);
      // The change journal: every insert, update and delete of the subgraph's tables writes the
      // before/after of each changed column, with the author the transaction was tagged with
      // (AuthorTaggingSubscriber), in the same transaction, whatever code path made the change.
      await q.query(`
        CREATE FUNCTION journal_modification() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
          new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
          row_data jsonb := coalesce(new_row, old_row);
          changes jsonb := '{}';
          k text;
          parcours_id uuid;
        BEGIN
          -- Identity belongs to the parcours of that person (Coordination only; dynamic SQL, as the
          -- other subgraphs have no parcours table).
          IF TG_TABLE_NAME = 'beneficiaire' THEN
            EXECUTE 'SELECT id FROM parcours WHERE beneficiaire_id = $1 ORDER BY date_orientation DESC LIMIT 1'
              INTO parcours_id USING (row_data ->> 'id')::uuid;
          END IF;
          FOR k IN SELECT jsonb_object_keys(row_data) LOOP
            IF (old_row -> k) IS DISTINCT FROM (new_row -> k) THEN
              changes := changes || jsonb_build_object(k, jsonb_build_object('before', old_row -> k, 'after', new_row -> k));
            END IF;
          END LOOP;
          IF changes = '{}' THEN RETURN NULL; END IF;
          -- An anonymisation must not copy into the journal the very values it removes.
          IF current_setting('agir.anonymisation', true) = 'on' THEN
            SELECT coalesce(jsonb_object_agg(key, '{"before": null, "after": null}'::jsonb), '{}') INTO changes FROM jsonb_object_keys(changes) AS key;
          END IF;
          INSERT INTO ${AUDIT_TABLE} (request_id, user_id, user_name, structure_id, roles, operation, action, parcours_id, fields, allowed, changes)
          VALUES (
            nullif(current_setting('agir.request_id', true), ''),
            coalesce(nullif(current_setting('agir.user_id', true), ''), session_user),
            nullif(current_setting('agir.user_name', true), ''),
            nullif(current_setting('agir.structure_id', true), '')::uuid,
            coalesce(string_to_array(nullif(current_setting('agir.roles', true), ''), ','), '{}'),
            'WRITE', lower(TG_OP) || ' ' || TG_TABLE_NAME,
            CASE WHEN row_data ? 'parcours_id' THEN (row_data ->> 'parcours_id')::uuid
                 WHEN TG_TABLE_NAME = 'parcours' THEN (row_data ->> 'id')::uuid
                 ELSE parcours_id END,
            ARRAY(SELECT jsonb_object_keys(changes) ORDER BY 1), true, changes);
          RETURN NULL;
        END $$`);
      await q.query(`
        DO $$ DECLARE t record; BEGIN
          FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                   AND tablename NOT IN ('${AUDIT_TABLE}', 'migrations', 'outbox_event', 'webhook_delivery', 'webhook_subscription') LOOP
            EXECUTE format('CREATE TRIGGER journal_modification AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION journal_modification()', t.tablename);
          END LOOP;
        END $$`);
      // Whoever received privileges on the table (the application role, through the owner's
      // default privileges) keeps only INSERT and SELECT.
      await q.query(`
        DO $$ DECLARE r record; BEGIN
          FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                   WHERE table_name = '${AUDIT_TABLE}' AND grantee <> current_user LOOP
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON ${AUDIT_TABLE} FROM %I', r.grantee);
          END LOOP;
        END $$`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query('DROP FUNCTION journal_modification() CASCADE');
      await q.query(`DROP TABLE ${AUDIT_TABLE}`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

/**
 * Adds to the audit trail why an access was refused (`reason`) and, for what is not a parcours
 * (a fiche de liaison not yet validated), what was asked for (`subject`).
 */
export function auditRefusalMigration(timestamp: number): new () => MigrationInterface {
  const name = `AuditRefus${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`ALTER TABLE ${AUDIT_TABLE} ADD COLUMN reason text, ADD COLUMN subject text`);
      await q.query(`CREATE INDEX ${AUDIT_TABLE}_refusals_idx ON ${AUDIT_TABLE} (at) WHERE NOT allowed`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP INDEX ${AUDIT_TABLE}_refusals_idx`);
      await q.query(`ALTER TABLE ${AUDIT_TABLE} DROP COLUMN reason, DROP COLUMN subject`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

/**
 * Lets the audit trail carry searches (operation SEARCH: a search for people audited like a
 * read, as DHIS2 does), and indexes the entries by user and parcours, for the reads made under a
 * break-the-glass grant.
 */
export function auditJournalMigration(timestamp: number): new () => MigrationInterface {
  const name = `AuditJournal${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`ALTER TABLE ${AUDIT_TABLE} DROP CONSTRAINT ${AUDIT_TABLE}_operation_check`);
      await q.query(`ALTER TABLE ${AUDIT_TABLE} ADD CONSTRAINT ${AUDIT_TABLE}_operation_check CHECK (operation IN ('READ', 'WRITE', 'EXPORT', 'BREAK_GLASS', 'SEARCH'))`);
      await q.query(`CREATE INDEX ${AUDIT_TABLE}_break_glass_idx ON ${AUDIT_TABLE} (parcours_id, user_id, at) WHERE break_glass`);
    }
    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP INDEX ${AUDIT_TABLE}_break_glass_idx`);
      await q.query(`ALTER TABLE ${AUDIT_TABLE} DROP CONSTRAINT ${AUDIT_TABLE}_operation_check`);
      await q.query(`ALTER TABLE ${AUDIT_TABLE} ADD CONSTRAINT ${AUDIT_TABLE}_operation_check CHECK (operation IN ('READ', 'WRITE', 'EXPORT', 'BREAK_GLASS'))`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

export interface WriteEntry {
  action: string;
  parcoursId: string | null;
  /** Field → { before, after }, only for the fields that changed. */
  changes: Record<string, { before: unknown; after: unknown }>;
}

/** A read of personal data, allowed or not, as the field rules hand it over. */
export interface ReadEntry {
  /** The parcours whose data it is; null for a record outside any parcours (then `subject` says which). */
  parcoursId: string | null;
  /** What was read when it is not a parcours, e.g. `fiche_liaison:<id>`. */
  subject?: string | null;
  field: string;
  allowed: boolean;
  via: string | null;
  /** Why it was refused. */
  reason?: string | null;
}

/** A refusal that is not one field of one record: a query, a mutation, a referenced id. */
export interface RefusalEntry {
  operation: 'READ' | 'WRITE';
  /** What was asked: a root field (`Query.alertes`), an argument (`input.beneficiaire.rejoignant.bpiBeneficiaireId`). */
  field: string;
  reason: string;
  parcoursId?: string | null;
  subject?: string | null;
}

const AUDITED = Symbol('agir.audited');

/** Marks an error whose refusal is already in the audit trail, so that it is not written twice. */
export function markAudited<E extends object>(error: E): E {
  Object.defineProperty(error, AUDITED, { value: true });
  return error;
}

/** Whether an error (or the one it wraps) was already written to the audit trail. */
export function isAudited(error: unknown): boolean {
  const e = error as { [AUDITED]?: boolean; originalError?: unknown } | null;
  return Boolean(e && (e[AUDITED] || (e.originalError && (e.originalError as { [AUDITED]?: boolean })[AUDITED])));
}

interface BufferedRow {
  operation: 'READ' | 'WRITE' | 'SEARCH';
  action: string;
  parcoursId: string | null;
  subject: string | null;
  fields: Set<string>;
  allowed: boolean;
  via: string | null;
  reason: string | null;
}

/**
 * One request's audit trail. Reads and refusals are gathered per record and written in one INSERT
 * when the response is sent (a list of 100 parcours costs one statement, not 100), whether the
 * request succeeded or not; writes are inserted in the transaction of the change they describe,
 * so a change is never without its trace.
 */
export class AuditTrail {
  private readonly rows = new Map<string, BufferedRow>();
  private breakGlass = false;

  constructor(private readonly viewer: Viewer, private readonly requestId: string) {}

  recordRead(entry: ReadEntry): void {
    const parcoursId = entry.parcoursId ?? null;
    const subject = entry.subject ?? null;
    const key = `READ|lecture|${parcoursId ?? ''}|${subject ?? ''}|${entry.allowed}`;
    const current = this.rows.get(key) ?? { operation: 'READ', action: 'lecture', parcoursId, subject, fields: new Set<string>(), allowed: entry.allowed, via: entry.via, reason: null };
    current.fields.add(entry.field);
    if (!entry.allowed && entry.reason && !current.reason) current.reason = entry.reason;
    if (entry.via === 'BREAK_GLASS') this.breakGlass = true;
    this.rows.set(key, current);
  }

  /**
   * Records a reading of the audit trail itself (the DPO's journal, the list of break-the-glass
   * grants): `action` names what was read, `field` the field that served it, `via` the role it was
   * read as.
   */
  recordConsultation(entry: { action: string; parcoursId: string | null; subject?: string | null; field: string; via: string }): void {
    const parcoursId = entry.parcoursId ?? null;
    const subject = entry.subject ?? null;
    const key = `READ|${entry.action}|${parcoursId ?? ''}|${subject ?? ''}|true`;
    const current = this.rows.get(key) ?? { operation: 'READ', action: entry.action, parcoursId, subject, fields: new Set<string>(), allowed: true, via: entry.via, reason: null };
    current.fields.add(entry.field);
    this.rows.set(key, current);
  }

  /**
   * Records a search for people (operation SEARCH, as DHIS2 audits them): once with its criteria
   * (`subject`, parcoursId null), and once per parcours it listed.
   */
  recordSearch(entry: { parcoursId: string | null; subject?: string | null; field: string; via: string }): void {
    const parcoursId = entry.parcoursId ?? null;
    const subject = entry.subject ?? null;
    const key = `SEARCH|recherche|${parcoursId ?? ''}|${subject ?? ''}|true`;
    const current = this.rows.get(key) ?? { operation: 'SEARCH', action: 'recherche', parcoursId, subject, fields: new Set<string>(), allowed: true, via: entry.via, reason: null };
    current.fields.add(entry.field);
    this.rows.set(key, current);
  }

  /** Records a refused query, mutation or referenced id (who, what, when, why), written with the reads. */
  recordRefusal(entry: RefusalEntry): void {
    const parcoursId = entry.parcoursId ?? null;
    const subject = entry.subject ?? null;
    const key = `${entry.operation}|refus|${parcoursId ?? ''}|${subject ?? ''}|${entry.field}|${entry.reason}`;
    if (this.rows.has(key)) return;
    this.rows.set(key, { operation: entry.operation, action: 'refus', parcoursId, subject, fields: new Set([entry.field]), allowed: false, via: null, reason: entry.reason });
  }

  private base() {
    return [this.requestId, this.viewer.userId, this.viewer.name, this.viewer.structureId, this.viewer.roles];
  }

  /**
   * Writes the gathered reads and refusals; called once per request. One statement whatever their
   * number: the rows travel as one JSON parameter (a VALUES list with a parameter per value hit
   * PostgreSQL's limit of 65,535 parameters from about 4,700 rows, as the alert list of a large
   * département audits every parcours it lists).
   */
  async flush(db: DataSource): Promise<void> {
    if (this.rows.size === 0) return;
    const rows = [...this.rows.values()].map((r) => ({
      operation: r.operation,
      action: r.action,
      parcours_id: r.parcoursId,
      subject: r.subject,
      fields: [...r.fields].sort(),
      allowed: r.allowed,
      via: r.via,
      break_glass: r.via === 'BREAK_GLASS' || this.breakGlass,
      reason: r.reason,
    }));
    this.rows.clear();
    await db.query(
      `INSERT INTO ${AUDIT_TABLE} (request_id, user_id, user_name, structure_id, roles, operation, action, parcours_id, subject, fields, allowed, via, break_glass, reason)
       SELECT $1::text, $2::text, $3::text, $4::uuid, $5::text[], r.operation, r.action, r.parcours_id, r.subject,
              ARRAY(SELECT jsonb_array_elements_text(r.fields)), r.allowed, r.via, r.break_glass, r.reason
         FROM jsonb_to_recordset($6::jsonb) AS r(operation text, action text, parcours_id uuid, subject text, fields jsonb, allowed boolean, via text, break_glass boolean, reason text)`,
      [...this.base(), JSON.stringify(rows)],
    );
  }

  /** Records a write inside the caller's transaction. */
  async recordWrite(manager: EntityManager, entry: WriteEntry, operation: 'WRITE' | 'EXPORT' | 'BREAK_GLASS' = 'WRITE'): Promise<void> {
    await manager.query(
      `INSERT INTO ${AUDIT_TABLE} (request_id, user_id, user_name, structure_id, roles, operation, action, parcours_id, fields, allowed, changes, break_glass)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, $10, $11)`,
      [...this.base(), operation, entry.action, entry.parcoursId, Object.keys(entry.changes).sort(), JSON.stringify(entry.changes), operation === 'BREAK_GLASS'],
    );
  }
}

/** Deletes audit entries older than the retention period; run by the owner role (`npm run audit:purge`). */
export async function purgeAudit(ownerDb: DataSource, retentionMonths: number): Promise<number> {
  if (!Number.isInteger(retentionMonths) || retentionMonths < 6 || retentionMonths > 36) {
    throw new Error(`purgeAudit: the retention period must be a whole number of months from 6 to 36, got ${retentionMonths}`);
  }
  const result = (await ownerDb.query(`DELETE FROM ${AUDIT_TABLE} WHERE at < now() - make_interval(months => $1)`, [retentionMonths])) as [unknown, number];
  return result[1];
}

export interface JournalEntry {
  at: Date;
  userId: string;
  userName: string | null;
  roles: string[];
  action: string;
  changes: Record<string, { before: unknown; after: unknown }>;
}

/**
 * The change journal of parcours: who changed what, when, from what to what, most recent first
 * (the parcours's own journal, for "who changed this?"). One statement for all the ids. A refused
 * write changed nothing: it is in the audit trail, not in the journal.
 */
export async function journalFor(db: DataSource, parcoursIds: readonly string[]): Promise<(JournalEntry & { parcoursId: string })[]> {
  const rows = (await db.query(
    `SELECT parcours_id, at, user_id, user_name, roles, action, changes FROM ${AUDIT_TABLE}
     WHERE operation = 'WRITE' AND allowed AND parcours_id = ANY($1) ORDER BY at DESC, id DESC`,
    [[...parcoursIds]],
  )) as { parcours_id: string; at: Date; user_id: string; user_name: string | null; roles: string[]; action: string; changes: JournalEntry['changes'] }[];
  return rows.map((r) => ({ parcoursId: r.parcours_id, at: r.at, userId: r.user_id, userName: r.user_name, roles: r.roles, action: r.action, changes: r.changes }));
}

/** Columns of a journal entry that tell a reader nothing (keys the trigger records on inserts). */
export const TECHNICAL_COLUMNS: ReadonlySet<string> = new Set(['id', 'parcours_id']);

const encode = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * A journal entry as every subgraph's API shows it (`ModificationJournal`): author, time, action,
 * and each changed column in name order with its values JSON-encoded. Each object carries its
 * parcours, for the field rules.
 */
export function journalView(entry: JournalEntry & { parcoursId: string }) {
  return {
    parcoursId: entry.parcoursId,
    date: entry.at,
    auteur: entry.userId,
    nomAuteur: entry.userName,
    roles: entry.roles,
    action: entry.action,
    champs: Object.keys(entry.changes)
      .filter((champ) => !TECHNICAL_COLUMNS.has(champ))
      .sort()
      .map((champ) => ({ parcoursId: entry.parcoursId, champ, avant: encode(entry.changes[champ]?.before), apres: encode(entry.changes[champ]?.after) })),
  };
}
