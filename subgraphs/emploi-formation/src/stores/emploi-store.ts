import type { DataSource, EntitySchema, ObjectLiteral } from 'typeorm';
import {
  AccompagnementExterne,
  Candidature,
  CertificationLangue,
  ContratTravail,
  Diagnostic,
  Diplome,
  Dossier,
  EtapeProjet,
  EvaluationLangue,
  Experience,
  Formation,
  Frein,
  InscriptionFranceTravail,
  Projet,
  SituationProfessionnelle,
  type AccompagnementExterneRow,
  type CandidatureRow,
  type CertificationLangueRow,
  type ContratTravailRow,
  type DiagnosticRow,
  type DiplomeRow,
  type DossierRow,
  type EtapeProjetRow,
  type EvaluationLangueRow,
  type ExperienceRow,
  type FormationRow,
  type FreinRow,
  type InscriptionFranceTravailRow,
  type ProjetRow,
  type SituationProfessionnelleRow,
} from '../entities';

/**
 * Every per-parcours read of the domain, each one SQL statement for a whole batch of parcours ids
 * (the loaders call them once per tick). Lists come back in the order the API shows them.
 */
export class EmploiFormationStore {
  constructor(private readonly db: DataSource) {}

  /** Rows of `entity` whose parcours_id is in the batch, ordered by `orderBy` (column names). */
  private byParcours<R extends ObjectLiteral>(entity: EntitySchema<R>, parcoursIds: readonly string[], ...orderBy: string[]): Promise<R[]> {
    let query = this.db.getRepository(entity).createQueryBuilder('t').where('t.parcours_id = ANY(:ids)', { ids: [...parcoursIds] });
    for (const column of orderBy) query = query.addOrderBy(`t.${column}`, 'ASC');
    return query.getMany();
  }

  dossiers(parcoursIds: readonly string[]): Promise<DossierRow[]> {
    return this.byParcours(Dossier, parcoursIds);
  }

  /** The recorded (declared) situations, oldest first. */
  historiques(parcoursIds: readonly string[]): Promise<SituationProfessionnelleRow[]> {
    return this.byParcours(SituationProfessionnelle, parcoursIds, 'date_debut', 'id');
  }

  /** Every language evaluation, oldest first (the first is the level at entry, the last the current one). */
  evaluationsLangue(parcoursIds: readonly string[]): Promise<EvaluationLangueRow[]> {
    return this.byParcours(EvaluationLangue, parcoursIds, 'date_evaluation', 'id');
  }

  certifications(parcoursIds: readonly string[]): Promise<CertificationLangueRow[]> {
    return this.byParcours(CertificationLangue, parcoursIds, 'date_obtention', 'id');
  }

  diagnostics(parcoursIds: readonly string[]): Promise<DiagnosticRow[]> {
    return this.byParcours(Diagnostic, parcoursIds);
  }

  diplomes(parcoursIds: readonly string[]): Promise<DiplomeRow[]> {
    return this.byParcours(Diplome, parcoursIds, 'annee', 'intitule', 'id');
  }

  experiences(parcoursIds: readonly string[]): Promise<ExperienceRow[]> {
    return this.byParcours(Experience, parcoursIds, 'code_rome', 'id');
  }

  freins(parcoursIds: readonly string[]): Promise<FreinRow[]> {
    return this.byParcours(Frein, parcoursIds, 'date_identification', 'type');
  }

  projets(parcoursIds: readonly string[]): Promise<ProjetRow[]> {
    return this.byParcours(Projet, parcoursIds);
  }

  etapesProjet(parcoursIds: readonly string[]): Promise<EtapeProjetRow[]> {
    return this.byParcours(EtapeProjet, parcoursIds, 'date_debut', 'id');
  }

  inscriptionsFranceTravail(parcoursIds: readonly string[]): Promise<InscriptionFranceTravailRow[]> {
    return this.byParcours(InscriptionFranceTravail, parcoursIds);
  }

  accompagnementsExternes(parcoursIds: readonly string[]): Promise<AccompagnementExterneRow[]> {
    return this.byParcours(AccompagnementExterne, parcoursIds, 'date_debut', 'id');
  }

  candidatures(parcoursIds: readonly string[]): Promise<CandidatureRow[]> {
    return this.byParcours(Candidature, parcoursIds, 'date_candidature', 'id');
  }

  formations(parcoursIds: readonly string[]): Promise<FormationRow[]> {
    return this.byParcours(Formation, parcoursIds, 'date_debut', 'id');
  }

  contrats(parcoursIds: readonly string[]): Promise<ContratTravailRow[]> {
    return this.byParcours(ContratTravail, parcoursIds, 'date_debut', 'id');
  }

  /**
   * The date of the latest Emploi & Formation event of each parcours on or before \`jour\` (a start, an end, an
   * answer...), in one SQL statement for all of them; a parcours without any is left out.
   */
  async dernieresActivites(parcoursIds: readonly string[], jour: string): Promise<{ parcoursId: string; date: string }[]> {
    return (await this.db.query(
      `SELECT parcours_id AS "parcoursId", to_char(max(d), 'YYYY-MM-DD') AS date
         FROM (SELECT parcours_id, d::date AS d FROM (
          SELECT parcours_id, date_debut AS d FROM situation_professionnelle WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM situation_professionnelle WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_evaluation AS d FROM evaluation_langue WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_diagnostic AS d FROM diagnostic_socio_professionnel WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_identification AS d FROM frein_emploi WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_levee AS d FROM frein_emploi WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_obtention AS d FROM certification_langue WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_mise_a_jour AS d FROM projet_professionnel WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_debut AS d FROM etape_projet WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM etape_projet WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_inscription AS d FROM inscription_france_travail WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_debut AS d FROM accompagnement_externe WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM accompagnement_externe WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_candidature AS d FROM candidature WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_debut AS d FROM formation WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM formation WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_debut AS d FROM contrat_travail WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM contrat_travail WHERE parcours_id = ANY($1)) u) a
        WHERE d <= $2::date
        GROUP BY parcours_id`,
      [[...parcoursIds], jour],
    )) as { parcoursId: string; date: string }[];
  }
}
