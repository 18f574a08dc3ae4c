import type { DataSource, EntitySchema, EntityManager } from 'typeorm';
import {
  Beneficiaire,
  Commission,
  ContratEngagement,
  Convention,
  Convocation,
  Diagnostic as DiagnosticCoordination,
  EntretienSuivi,
  Evaluation,
  Parcours,
  Referent,
  Site,
  Structure,
  Transition,
} from '../../subgraphs/coordination/src/entities';
import {
  DemandeLogementSocial,
  DemarcheDroit,
  Dossier as DossierDroitsLogement,
  IncidentLogement,
  MesureLogement,
  PropositionLogement,
  SituationLogement,
} from '../../subgraphs/droits-logement/src/entities';
import {
  Candidature,
  ContratTravail,
  Diagnostic as DiagnosticEmploiFormation,
  Diplome,
  Dossier as DossierEmploiFormation,
  EvaluationLangue,
  Formation,
  Frein,
  InscriptionFranceTravail,
  Projet,
  SituationProfessionnelle,
} from '../../subgraphs/emploi-formation/src/entities';
import { day, todayInParis } from './dates';
import { generateDemoData, type DemoData } from './generate';
import { STATUTS } from './jalons';
import { PREMIER_JOUR_DES_VIGNETTES, VIGNETTES } from './vignettes';

/**
 * Demo data for the AGIR federation hub: a deterministic, realistic picture of the programme in
 * Loire-Atlantique and Vendée (structures, sites, referents, a few hundred parcours at every stage,
 * the three vignettes of seed 002), written into the three subgraph databases with the same
 * parcours ids everywhere.
 */

export { VIGNETTES } from './vignettes';
export { generateDemoData, type DemoData } from './generate';

export interface DemoDatabases {
  coordination: DataSource;
  'droits-logement': DataSource;
  'emploi-formation': DataSource;
}

export interface DemoOptions {
  /** Seed of the random part (default 44085). The vignettes are the same for every seed. */
  seed?: number;
  /** Total number of parcours, the three vignettes included (default 320, at least 3). */
  parcours?: number;
  /** `YYYY-MM-DD`, the day the data describes (default: today in Europe/Paris). */
  today?: string;
}

export interface DemoSummary {
  structures: number;
  sites: number;
  referents: number;
  parcours: number;
  /** Number of parcours per statut, every statut listed (0 when none). */
  parParStatut: Record<string, number>;
  /** Parcours ids of the three vignettes of seed 002. */
  vignettes: { monsieurJ: string; madameB: string; monsieurA: string };
}

export const DEFAULT_SEED = 44085;
export const DEFAULT_PARCOURS = 320;

/** Rows per INSERT statement: well under PostgreSQL's 65,535 bind parameters for every table. */
const CHUNK = 500;

/**
 * Checks and completes the options; throws a RangeError saying what was expected and what was
 * received, before anything is written.
 */
export function resolveOptions(options: DemoOptions = {}): Required<DemoOptions> {
  const seed = options.seed ?? DEFAULT_SEED;
  const parcours = options.parcours ?? DEFAULT_PARCOURS;
  const today = options.today ?? todayInParis();
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isSafeInteger(parcours) || parcours < Object.keys(VIGNETTES).length) {
    throw new RangeError(`parcours must be an integer of at least 3 (the vignettes included), got ${parcours}`);
  }
  day(today); // throws on a malformed date
  if (today < PREMIER_JOUR_DES_VIGNETTES) {
    throw new RangeError(`today must be on or after ${PREMIER_JOUR_DES_VIGNETTES} (the programme started in January 2023), got ${today}`);
  }
  return { seed, parcours, today };
}

/**
 * Generates the demo data and inserts it into the three (migrated, empty) databases: one
 * transaction per database, bulk inserts of at most 500 rows. Coordination is written first, so
 * that a failure there leaves the domain databases untouched. Same options => same rows, ids
 * included (the default `today` is the only input taken from the clock).
 */
export async function loadDemoData(dbs: DemoDatabases, options?: DemoOptions): Promise<DemoSummary> {
  const resolved = resolveOptions(options);
  const data = generateDemoData(resolved);
  const c = data.coordination;
  await insertAll(dbs.coordination, [
    [Structure, c.structures],
    [Site, c.sites],
    [Referent, c.referents],
    [Beneficiaire, c.beneficiaires],
    [Parcours, c.parcours],
    [Structure, data.complements.coordination.structures],
    [Convention, data.complements.coordination.conventions],
    // In order, parcours by parcours: the sequence column numbers the history as it is inserted.
    [Transition, data.complements.coordination.transitions],
    [Convocation, data.complements.coordination.convocations],
    [DiagnosticCoordination, data.complements.coordination.diagnostics],
    [Commission, data.complements.coordination.commissions],
    [ContratEngagement, data.complements.coordination.contrats],
    [Evaluation, data.complements.coordination.evaluations],
    [EntretienSuivi, data.complements.coordination.entretiens],
  ]);
  await recordConsents(dbs.coordination);
  const dl = data.droitsLogement;
  await insertAll(dbs['droits-logement'], [
    [DossierDroitsLogement, dl.dossiers],
    [SituationLogement, dl.situations],
    [DemarcheDroit, dl.demarches],
    [DemandeLogementSocial, data.complements.droitsLogement.demandes],
    [PropositionLogement, data.complements.droitsLogement.propositions],
    [MesureLogement, data.complements.droitsLogement.mesures],
    [IncidentLogement, data.complements.droitsLogement.incidents],
  ]);
  const ef = data.emploiFormation;
  await insertAll(dbs['emploi-formation'], [
    [DossierEmploiFormation, ef.dossiers],
    [SituationProfessionnelle, ef.situations],
    [EvaluationLangue, ef.evaluations],
    [DiagnosticEmploiFormation, data.complements.emploiFormation.diagnostics],
    [Diplome, data.complements.emploiFormation.diplomes],
    [ContratTravail, data.complements.emploiFormation.contrats],
    [Formation, data.complements.emploiFormation.formations],
    [Projet, data.complements.emploiFormation.projets],
    [InscriptionFranceTravail, data.complements.emploiFormation.inscriptions],
    [Frein, data.complements.emploiFormation.freins],
    [Candidature, data.complements.emploiFormation.candidatures],
  ]);
  return summarize(data);
}

/**
 * Most people agree to share each domain's data with the consortium's other associations; about
 * one in twenty of those in accompaniment or past it does not for one domain, so that the demo
 * shows both answers (people only oriented have no domain data yet, so they all agree). Deterministic:
 * the choice follows from the parcours id. Dated from the diagnostic (where consent is asked), or
 * the orientation for people not yet diagnosed.
 */
async function recordConsents(coordination: DataSource): Promise<void> {
  await coordination.query(
    `INSERT INTO consentement (parcours_id, domaine, donne_le, enregistre_par)
     SELECT p.id, d.domaine, coalesce(p.date_diagnostic, p.date_orientation), 'demo'
     FROM parcours p CROSS JOIN (VALUES ('DROITS_LOGEMENT', 0), ('EMPLOI_FORMATION', 1)) AS d(domaine, rang)
     WHERE p.statut IN ('ORIENTE', 'CONVOQUE', 'DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE')
        OR ('x' || substr(md5(p.id::text || d.domaine), 1, 2))::bit(8)::int >= 13`,
  );
}

/** Counts of what `data` holds, in the shape `loadDemoData` returns. */
export function summarize(data: DemoData): DemoSummary {
  const parParStatut: Record<string, number> = Object.fromEntries(STATUTS.map((s) => [s, 0]));
  for (const p of data.coordination.parcours) parParStatut[p.statut] = (parParStatut[p.statut] ?? 0) + 1;
  return {
    structures: data.coordination.structures.length,
    sites: data.coordination.sites.length,
    referents: data.coordination.referents.length,
    parcours: data.coordination.parcours.length,
    parParStatut,
    vignettes: {
      monsieurJ: VIGNETTES.monsieurJ.parcoursId,
      madameB: VIGNETTES.madameB.parcoursId,
      monsieurA: VIGNETTES.monsieurA.parcoursId,
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Batch = readonly [EntitySchema<any>, readonly object[]];

/** Inserts each batch in order (parents before children), in chunks, in one transaction. */
async function insertAll(dataSource: DataSource, batches: readonly Batch[]): Promise<void> {
  await dataSource.transaction(async (manager: EntityManager) => {
    for (const [entity, rows] of batches) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await manager.getRepository(entity).insert(rows.slice(i, i + CHUNK));
      }
    }
  });
}
