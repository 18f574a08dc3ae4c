import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../../scripts/hub';
import { FIXTURE, seedFixture } from './fixtures';

/**
 * A version-4 UUID derived from a text, in SQL: md5 with the version nibble set to 4 and the
 * variant to 8, so that the hub's own id check (`isUuid`) accepts it. `bulkId` is the same in JS.
 */
const uuidSql = (texte: string) => `overlay(overlay(md5(${texte}) placing '4' from 13) placing '8' from 17)::uuid`;

/** The id that `seedBulkParcours` gives to parcours `g` (`'p'`) or to its person (`'b'`). */
export function bulkId(kind: 'p' | 'b', g: number): string {
  const hex = createHash('md5').update(`${kind}${g}`).digest('hex');
  const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
}

export interface BulkOptions {
  /** The first orientation day; orientations spread over `jours` days from it (default 2019-01-01 over 1,400 days). */
  depuis?: string;
  jours?: number;
  /**
   * Every stage of the parcours (channels, diagnostics, commissions, exits, exclusions, follow-ups,
   * families) instead of the default's two statuts, ORIENTE and CONTRACTUALISE (every third), all by OFII.
   */
  varie?: boolean;
  /** The domain facts of each contracted parcours in Droits & Logement and Emploi & Formation (default true). */
  domaines?: boolean;
}

const COMMUNES = `(ARRAY['44109','44143','44184','44162','44190','44020','44047','44114'])`;
const NOMS_COMMUNES = `(ARRAY['Nantes','Rezé','Saint-Nazaire','Saint-Herblain','Saint-Sébastien-sur-Loire','Bouguenais','Carquefou','Orvault'])`;

/**
 * The fixture, plus `n` people and parcours in 44, set-based (a few statements whatever `n`): ids
 * derived from the row number `g` (`bulkId`), the same parcours ids in the three databases. By
 * default orientations spread over 2019-2022 (before the fixture's 2025 ones) and a contract for
 * every third; each contracted parcours has a dossier in both domains with a housing path, rights
 * procedures, language evaluations, a diagnosis, and a contract or a training for some.
 */
export async function seedBulkParcours(dbs: Record<SubgraphName, DataSource>, n: number, options: BulkOptions = {}): Promise<void> {
  const depuis = options.depuis ?? '2019-01-01';
  const jours = options.jours ?? 1400;
  await seedFixture(dbs);
  const c = dbs.coordination;
  await c.query(
    `INSERT INTO beneficiaire (id, nom, prenom, date_naissance, sexe, pays_naissance, rejoignant, commune_insee, commune_nom)
     SELECT ${uuidSql(`'b' || g`)}, 'Nom' || g, 'Prenom' || g, date '1960-01-01' + (g % 15000), CASE WHEN g % 2 = 0 THEN 'FEMME' ELSE 'HOMME' END,
            (ARRAY['AF','SY','ER','SD','UA'])[1 + g % 5], false, ${COMMUNES}[1 + g % 8], ${NOMS_COMMUNES}[1 + g % 8]
     FROM generate_series(1, $1) AS g`,
    [n],
  );
  // Dates: orientation o, diagnostic o+15, commission o+25, contract o+30 (for the statuts that reached them).
  const o = `($2::date + (g % $3))`;
  if (!options.varie) {
    await c.query(
      `INSERT INTO parcours (id, beneficiaire_id, site_id, departement, statut, canal_orientation, date_orientation, date_diagnostic, date_commission, date_contrat)
       SELECT ${uuidSql(`'p' || g`)}, ${uuidSql(`'b' || g`)}, $4, '44', CASE WHEN g % 3 = 0 THEN 'CONTRACTUALISE' ELSE 'ORIENTE' END,
              'OFII', ${o}, CASE WHEN g % 3 = 0 THEN ${o} + 15 END, CASE WHEN g % 3 = 0 THEN ${o} + 25 END, CASE WHEN g % 3 = 0 THEN ${o} + 30 END
       FROM generate_series(1, $1) AS g`,
      [n, depuis, jours, FIXTURE.site44],
    );
  } else {
    // One person in seven is a rejoignant (spouse) of the previous one, followed in a parcours of their own.
    await c.query(
      `UPDATE beneficiaire SET rejoignant = true, lien_rejoignant = 'CONJOINT', bpi_beneficiaire_id = ${uuidSql(`'b' || (g - 1)`)}
         FROM generate_series(2, $1) AS g WHERE g % 7 = 0 AND beneficiaire.id = ${uuidSql(`'b' || g`)}`,
      [n],
    );
    // The statut by g % 20: 2 ORIENTE, 1 CONVOQUE, 1 DIAGNOSTIC_REALISE, 1 COMMISSION_REALISEE, 8 CONTRACTUALISE,
    // 2 SORTI, 1 SUIVI_3_MOIS, 1 SUIVI_6_MOIS, 1 ABANDON, 1 EXCLU, 1 REFUS_CONTRACTUALISATION.
    await c.query(
      `WITH s AS (
         SELECT g, (ARRAY['ORIENTE','ORIENTE','CONVOQUE','DIAGNOSTIC_REALISE','COMMISSION_REALISEE','CONTRACTUALISE','CONTRACTUALISE',
                          'CONTRACTUALISE','CONTRACTUALISE','CONTRACTUALISE','CONTRACTUALISE','CONTRACTUALISE','CONTRACTUALISE',
                          'SORTI','SORTI','SUIVI_3_MOIS','SUIVI_6_MOIS','ABANDON','EXCLU','REFUS_CONTRACTUALISATION'])[1 + g % 20] AS statut,
                g % 20 AS r
           FROM generate_series(1, $1) AS g)
       INSERT INTO parcours (id, beneficiaire_id, site_id, departement, statut, canal_orientation, date_orientation, date_signature_cir,
                             date_diagnostic, date_commission, date_contrat, date_sortie, motif_exclusion, referent_droits_logement_id, referent_emploi_formation_id)
       SELECT ${uuidSql(`'p' || g`)}, ${uuidSql(`'b' || g`)}, $4, '44', statut,
              (ARRAY['OFII','OFII','OFII','FICHE_LIAISON','PREFET'])[1 + g % 5], ${o}, ${o} - 10,
              CASE WHEN r >= 3 THEN ${o} + 12 + g % 30 END,
              CASE WHEN r >= 4 THEN ${o} + 25 + g % 30 END,
              CASE WHEN r >= 5 AND r < 19 THEN ${o} + 30 + g % 40 END,
              CASE WHEN r >= 13 AND r < 17 THEN ${o} + 300 + g % 200 WHEN r >= 17 THEN ${o} + 60 + g % 100 END,
              CASE WHEN r = 18 THEN (ARRAY['DEUX_REFUS_LOGEMENT','VIOLENCE_MENACES','NON_ADHESION'])[1 + g % 3] END,
              CASE WHEN r >= 4 THEN $5::uuid END, CASE WHEN r >= 4 THEN $6::uuid END
         FROM s`,
      [n, depuis, jours, FIXTURE.site44, FIXTURE.referentDL, FIXTURE.referentEF],
    );
    await c.query(
      `INSERT INTO entretien_suivi (parcours_id, echeance, date_entretien, resultat)
       SELECT p.id, e.echeance, p.date_sortie + e.mois * 30, 'Situation stable'
         FROM parcours p JOIN (VALUES ('TROIS_MOIS', 3), ('SIX_MOIS', 6)) AS e(echeance, mois)
           ON (e.echeance = 'TROIS_MOIS' AND p.statut IN ('SUIVI_3_MOIS','SUIVI_6_MOIS')) OR (e.echeance = 'SIX_MOIS' AND p.statut = 'SUIVI_6_MOIS')
        WHERE p.departement = '44'`,
    );
  }
  if (options.domaines !== false) await seedBulkDomaines(dbs, n);
}

/**
 * The domains' facts of the bulk parcours that signed a contract (`date_contrat`, read from
 * Coordination as a test would receive it): the same parcours ids, a dossier opened on the
 * contract day in each domain, and what each domain records along the way.
 */
async function seedBulkDomaines(dbs: Record<SubgraphName, DataSource>, n: number): Promise<void> {
  const contrats = (await dbs.coordination.query(
    `SELECT array_agg(g ORDER BY g) AS g, array_agg(p.date_contrat::text ORDER BY g) AS d
       FROM generate_series(1, $1) AS g JOIN parcours p ON p.id = ${uuidSql(`'p' || g`)} WHERE p.date_contrat IS NOT NULL`,
    [n],
  )) as { g: number[] | null; d: string[] | null }[];
  const g = contrats[0]?.g ?? [];
  const d = contrats[0]?.d ?? [];
  if (g.length === 0) return;
  // `suivi`: (g, the dossier's opening day), one row per contracted parcours, the same in both domains.
  const suivi = `suivi AS (SELECT x.g, x.d::date AS d, ${uuidSql(`'p' || x.g`)} AS id FROM unnest($1::int[], $2::text[]) AS x(g, d))`;
  const dl = dbs['droits-logement'];
  await dl.query(`WITH ${suivi} INSERT INTO dossier (parcours_id, departement, ouvert_le) SELECT id, '44', d FROM suivi`, [g, d]);
  // The housing at entry (by g % 6), then, for one in three, a move into social housing 200 days on.
  await dl.query(
    `WITH ${suivi}, t AS (SELECT *, (ARRAY['SANS_ABRI','HEBERGEMENT_TIERS','CADA','HUDA','HOTEL','RESIDENCE_SOCIALE'])[1 + g % 6] AS type FROM suivi)
     INSERT INTO situation_logement (parcours_id, categorie, type, commune_insee, commune_nom, date_debut, date_fin)
     SELECT id, CASE type WHEN 'SANS_ABRI' THEN 'SANS_ABRI_HEBERGEMENT_PRECAIRE' WHEN 'HEBERGEMENT_TIERS' THEN 'SANS_ABRI_HEBERGEMENT_PRECAIRE'
                          WHEN 'CADA' THEN 'DNA' WHEN 'HUDA' THEN 'DNA' WHEN 'HOTEL' THEN 'HEBERGEMENT_TEMPORAIRE' ELSE 'LOGEMENT_ACCOMPAGNE_ADAPTE' END,
            type, ${COMMUNES}[1 + g % 8], ${NOMS_COMMUNES}[1 + g % 8], d, CASE WHEN g % 3 = 0 THEN d + 199 END FROM t
     UNION ALL
     SELECT id, 'LOGEMENT_AUTONOME', 'PARC_SOCIAL', ${COMMUNES}[1 + g % 8], ${NOMS_COMMUNES}[1 + g % 8], d + 200, NULL FROM suivi WHERE g % 3 = 0`,
    [g, d],
  );
  await dl.query(
    `WITH ${suivi}
     INSERT INTO demarche_droit (parcours_id, type, statut, organisme, date_debut, date_fin, motif_blocage, bloquee_depuis)
     SELECT id, 'CAF_PRESTATIONS_FAMILIALES', 'OBTENU', 'CAF', d, d + 20 + g % 60, NULL, NULL FROM suivi
     UNION ALL
     SELECT id, 'TITRE_SEJOUR', CASE WHEN g % 11 = 0 THEN 'BLOQUE' ELSE 'EN_COURS' END, 'Préfecture', d + 5, NULL,
            CASE WHEN g % 11 = 0 THEN 'PIECE_MANQUANTE' END, CASE WHEN g % 11 = 0 THEN d + 40 END FROM suivi
     UNION ALL
     SELECT id, 'COMPTE_BANCAIRE', 'OBTENU', 'Banque', d, d + 10, NULL, NULL FROM suivi WHERE g % 2 = 0`,
    [g, d],
  );
  await dl.query(
    `WITH ${suivi}
     INSERT INTO proposition_logement (parcours_id, date, bailleur, typologie, commune_insee, commune_nom, reponse, date_reponse, motif_refus)
     SELECT id, d + 150, 'Nantes Métropole Habitat', 'T2', '44109', 'Nantes', CASE WHEN g % 3 = 0 THEN 'ACCEPTEE' ELSE 'REFUSEE' END, d + 160,
            CASE WHEN g % 3 = 0 THEN NULL ELSE 'Trop éloigné' END
       FROM suivi WHERE g % 3 = 0 OR g % 5 = 0`,
    [g, d],
  );
  const ef = dbs['emploi-formation'];
  await ef.query(`WITH ${suivi} INSERT INTO dossier (parcours_id, departement, ouvert_le) SELECT id, '44', d FROM suivi`, [g, d]);
  await ef.query(
    `WITH ${suivi}
     INSERT INTO situation_professionnelle (parcours_id, categorie, date_debut) SELECT id, 'SANS_ACTIVITE', d FROM suivi`,
    [g, d],
  );
  await ef.query(
    `WITH ${suivi}
     INSERT INTO evaluation_langue (parcours_id, niveau_cecrl, date_evaluation)
     SELECT id, (ARRAY['NON_LECTEUR_NON_SCRIPTEUR','A1','A2'])[1 + g % 3], d + 3 FROM suivi
     UNION ALL SELECT id, (ARRAY['A1','A2','B1'])[1 + g % 3], d + 180 FROM suivi WHERE g % 2 = 0`,
    [g, d],
  );
  await ef.query(
    `WITH ${suivi}
     INSERT INTO diagnostic_socio_professionnel (parcours_id, date_diagnostic, niveau_formation)
     SELECT id, d + 7, (ARRAY['NON_SCOLARISE','PRIMAIRE','SECONDAIRE_SANS_DIPLOME','SECONDAIRE_DIPLOME','SUPERIEUR_BAC_2','SUPERIEUR_BAC_3','SUPERIEUR_BAC_5_ET_PLUS'])[1 + g % 7]
       FROM suivi`,
    [g, d],
  );
  await ef.query(
    `WITH ${suivi}
     INSERT INTO diplome (parcours_id, intitule, pays, reconnaissance)
     SELECT id, 'Diplôme ' || g, 'AF', (ARRAY['NON_DEMANDEE','EN_COURS','RECONNU'])[1 + g % 3] FROM suivi WHERE g % 7 >= 3`,
    [g, d],
  );
  await ef.query(
    `WITH ${suivi}
     INSERT INTO frein_emploi (parcours_id, type, date_identification, date_levee)
     SELECT id, 'LANGUE', d + 7, CASE WHEN g % 2 = 0 THEN d + 200 END FROM suivi
     UNION ALL SELECT id, 'MOBILITE', d + 7, NULL FROM suivi WHERE g % 4 = 0`,
    [g, d],
  );
  // One in four a CDI from 90 days on, one in four a qualifying training, one in six a language course.
  await ef.query(
    `WITH ${suivi}
     INSERT INTO contrat_travail (parcours_id, type, employeur, code_rome, date_debut, date_fin, temps_travail, categorie, stabilisant)
     SELECT id, 'CDI', 'Entreprise ' || (g % 50), 'K2204', d + 90 + g % 60, NULL, 'TEMPS_PLEIN', 'EMPLOI_DURABLE', true FROM suivi WHERE g % 4 = 1
     UNION ALL
     SELECT id, 'CDD', 'Entreprise ' || (g % 50), 'N1103', d + 60, d + 150, 'TEMPS_PARTIEL', 'EMPLOI_COURT', false FROM suivi WHERE g % 4 = 3`,
    [g, d],
  );
  await ef.query(
    `WITH ${suivi}
     INSERT INTO formation (parcours_id, type, dispositif_linguistique, intitule, organisme, diplomante, date_debut, date_fin, resultat, categorie, stabilisant)
     SELECT id, 'QUALIFIANTE', NULL, 'Agent de propreté', 'AFPA', true, d + 60, d + 240, 'EN_COURS', 'FORMATION_PROFESSIONNELLE', true FROM suivi WHERE g % 4 = 2
     UNION ALL
     SELECT id, 'LINGUISTIQUE', 'FLE', 'Français langue étrangère', 'CFP Presqu''île', false, d + 10, d + 100, 'TERMINEE', 'FORMATION_LINGUISTIQUE', false
       FROM suivi WHERE g % 6 = 0`,
    [g, d],
  );
}
