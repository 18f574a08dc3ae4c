import { randomBytes } from 'node:crypto';
import { AuditTrail, auditMigration, auditRefusalMigration, createDataSource, createLogger, dropDatabase, ownerRole, provisionDatabase, purgeAudit, withDatabase, type Viewer } from '@agir/common';
import type { DataSource } from 'typeorm';
import { adminUrl } from './support/hub';

/**
 * The audit trail is written by the application and can be neither altered nor erased by it:
 * the owner role's migration leaves the application role INSERT and SELECT only.
 */
describe('the audit trail table', () => {
  const database = `agir_audit${randomBytes(4).toString('hex')}`;
  const password = 'audit-test';
  let owner: DataSource;
  let app: DataSource;
  const viewer: Viewer = { userId: 'u-1', name: 'Claire Martin', structureId: '00000000-0000-4000-8000-000000000001', roles: ['COORDINATION'], departements: ['44'], referentId: null };
  const parcours = ['6f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f', '7f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f'];

  beforeAll(async () => {
    await provisionDatabase(adminUrl(), { database, role: database, password });
    const logger = createLogger('audit-test', 'silent');
    owner = createDataSource({
      url: withDatabase(adminUrl(), database, { user: ownerRole(database), password }),
      entities: [],
      migrations: [auditMigration(1700000000500), auditRefusalMigration(1700000000600)],
      logger,
    }).dataSource;
    await owner.initialize();
    // Migrates to just before the refusals' columns, writes a row as the trail did then, and migrates.
    await owner.runMigrations({ transaction: 'each' });
    await owner.undoLastMigration();
    await owner.query(`INSERT INTO audit_log (user_id, roles, operation, action, allowed) VALUES ('avant', '{}', 'READ', 'lecture', true)`);
    await owner.runMigrations();
    expect(await owner.query(`SELECT user_id, reason, subject FROM audit_log`)).toEqual([{ user_id: 'avant', reason: null, subject: null }]);
    await owner.query(`DELETE FROM audit_log`);
    app = createDataSource({ url: withDatabase(adminUrl(), database, { user: database, password }), entities: [], migrations: [], logger }).dataSource;
    await app.initialize();
  });
  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
    await dropDatabase(adminUrl(), { database, role: database });
  });

  it('gathers a request\'s reads into one row per parcours, written in one statement', async () => {
    const trail = new AuditTrail(viewer, 'req-1');
    trail.recordRead({ parcoursId: parcours[0]!, field: 'Beneficiaire.nom', allowed: true, via: 'COORDINATION' });
    trail.recordRead({ parcoursId: parcours[0]!, field: 'Beneficiaire.prenom', allowed: true, via: 'COORDINATION' });
    trail.recordRead({ parcoursId: parcours[1]!, field: 'Beneficiaire.nom', allowed: true, via: 'COORDINATION' });
    await trail.flush(app);
    const rows = await app.query(`SELECT request_id, user_id, user_name, roles, operation, parcours_id, fields, allowed, via FROM audit_log ORDER BY parcours_id`);
    expect(rows).toEqual([
      { request_id: 'req-1', user_id: 'u-1', user_name: 'Claire Martin', roles: ['COORDINATION'], operation: 'READ', parcours_id: parcours[0], fields: ['Beneficiaire.nom', 'Beneficiaire.prenom'], allowed: true, via: 'COORDINATION' },
      { request_id: 'req-1', user_id: 'u-1', user_name: 'Claire Martin', roles: ['COORDINATION'], operation: 'READ', parcours_id: parcours[1], fields: ['Beneficiaire.nom'], allowed: true, via: 'COORDINATION' },
    ]);
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET allowed = false`],
    ['DELETE', `DELETE FROM audit_log`],
    ['TRUNCATE', `TRUNCATE audit_log`],
    ['DROP', `DROP TABLE audit_log`],
    ['ALTER', `ALTER TABLE audit_log DROP COLUMN changes`],
  ])('refuses the application role a %s', async (_verb, sql) => {
    await expect(app.query(sql)).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '42501' }) });
    expect((await app.query('SELECT count(*)::int AS n FROM audit_log'))[0]).toEqual({ n: 2 });
  });

  it('writes refusals with the reads, with their reason, and what was asked for when it is not a parcours', async () => {
    const trail = new AuditTrail(viewer, 'req-2');
    trail.recordRead({ parcoursId: parcours[0]!, field: 'Beneficiaire.nom', allowed: false, via: null, reason: 'hors périmètre' });
    trail.recordRead({ parcoursId: null, subject: 'fiche_liaison:f-1', field: 'Beneficiaire.nom', allowed: true, via: 'PRESCRIPTEUR' });
    trail.recordRefusal({ operation: 'READ', field: 'Query.alertes', reason: 'Le département 85 est hors de votre périmètre (44).' });
    trail.recordRefusal({ operation: 'READ', field: 'Query.alertes', reason: 'Le département 85 est hors de votre périmètre (44).' });
    await trail.flush(app);
    const rows = await app.query(`SELECT operation, action, parcours_id, subject, fields, allowed, via, reason FROM audit_log WHERE request_id = 'req-2' ORDER BY id`);
    expect(rows).toEqual([
      { operation: 'READ', action: 'lecture', parcours_id: parcours[0], subject: null, fields: ['Beneficiaire.nom'], allowed: false, via: null, reason: 'hors périmètre' },
      { operation: 'READ', action: 'lecture', parcours_id: null, subject: 'fiche_liaison:f-1', fields: ['Beneficiaire.nom'], allowed: true, via: 'PRESCRIPTEUR', reason: null },
      { operation: 'READ', action: 'refus', parcours_id: null, subject: null, fields: ['Query.alertes'], allowed: false, via: null, reason: 'Le département 85 est hors de votre périmètre (44).' },
    ]);
  });

  it('lets the owner purge entries older than the retention period, and only those', async () => {
    await owner.query(`INSERT INTO audit_log (user_id, roles, operation, action, allowed, at) VALUES ('old', '{}', 'READ', 'lecture', true, now() - interval '13 months')`);
    expect(await purgeAudit(owner, 12)).toBe(1);
    expect((await app.query('SELECT count(*)::int AS n FROM audit_log'))[0]).toEqual({ n: 5 });
  });

  it('writes the reads of thousands of parcours in one request (an alert list of a large département)', async () => {
    // Beyond the 65,535 parameters a statement may carry, had each value been one (14 per row).
    const trail = new AuditTrail(viewer, 'req-3');
    const ids = Array.from({ length: 6000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of ids) trail.recordRead({ parcoursId: id, field: 'Parcours.alertes', allowed: true, via: 'COORDINATION' });
    await trail.flush(app);
    const [ecrites] = await app.query(
      `SELECT count(*)::int AS n, count(DISTINCT parcours_id)::int AS parcours, bool_and(fields = '{Parcours.alertes}' AND user_id = 'u-1' AND roles = '{COORDINATION}') AS justes
         FROM audit_log WHERE request_id = 'req-3'`,
    );
    expect(ecrites).toEqual({ n: 6000, parcours: 6000, justes: true });
  });
});
