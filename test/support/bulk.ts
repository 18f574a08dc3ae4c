import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../../scripts/hub';
import { FIXTURE, seedFixture } from './fixtures';

/**
 * The fixture, plus `n` people and parcours in 44 in two statements: ids derived from the row
 * number, orientations spread over 2019-2022 (before the fixture's 2025 ones), a contract for every third.
 */
export async function seedBulkParcours(dbs: Record<SubgraphName, DataSource>, n: number): Promise<void> {
  await seedFixture(dbs);
  await dbs.coordination.query(
    `INSERT INTO beneficiaire (id, nom, prenom, date_naissance, sexe, pays_naissance, rejoignant)
     SELECT md5('b' || g)::uuid, 'Nom' || g, 'Prenom' || g, date '1960-01-01' + (g % 15000), CASE WHEN g % 2 = 0 THEN 'FEMME' ELSE 'HOMME' END,
            (ARRAY['AF','SY','ER','SD','UA'])[1 + g % 5], false
     FROM generate_series(1, $1) AS g`,
    [n],
  );
  await dbs.coordination.query(
    `INSERT INTO parcours (id, beneficiaire_id, site_id, departement, statut, canal_orientation, date_orientation, date_contrat)
     SELECT md5('p' || g)::uuid, md5('b' || g)::uuid, $2, '44', CASE WHEN g % 3 = 0 THEN 'CONTRACTUALISE' ELSE 'ORIENTE' END,
            'OFII', date '2019-01-01' + (g % 1400), CASE WHEN g % 3 = 0 THEN date '2019-01-01' + (g % 1400) + 30 END
     FROM generate_series(1, $1) AS g`,
    [n, FIXTURE.site44],
  );
}
