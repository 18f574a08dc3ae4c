import type { EntityManager } from 'typeorm';
import {
  AccompagnementExterne,
  Candidature,
  CertificationLangue,
  ContratTravail,
  Diagnostic,
  Diplome,
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
  type EtapeProjetRow,
  type EvaluationLangueRow,
  type ExperienceRow,
  type FormationRow,
  type FreinRow,
  type InscriptionFranceTravailRow,
  type ProjetRow,
  type SituationProfessionnelleRow,
} from '../entities';

type Nouveau<R> = Omit<R, 'id'>;

/**
 * The domain's writes, inside the transaction of one mutation (`em`). Each returns the row as
 * stored. The dossier is opened (or its opening day moved earlier) by `ouvrirDossier`, first.
 */
export class EcrituresStore {
  constructor(private readonly em: EntityManager) {}

  /**
   * Opens the domain's dossier on the first write for a parcours; a later write that records an
   * earlier fact moves the opening day back to it, so that "the situation at entry" is read on the
   * first day the domain knows something of the parcours.
   */
  async ouvrirDossier(parcoursId: string, departement: string, ouvertLe: string): Promise<void> {
    await this.em.query(
      `INSERT INTO dossier (parcours_id, departement, ouvert_le) VALUES ($1, $2, $3)
       ON CONFLICT (parcours_id) DO UPDATE SET ouvert_le = LEAST(dossier.ouvert_le, EXCLUDED.ouvert_le), departement = EXCLUDED.departement`,
      [parcoursId, departement, ouvertLe],
    );
  }

  private async inserer<R extends { id: string }>(entity: Parameters<EntityManager['getRepository']>[0], row: Nouveau<R>): Promise<R> {
    const repo = this.em.getRepository<R>(entity as never);
    const result = await repo.insert(row as never);
    const id = (result.identifiers[0] as { id: string }).id;
    return (await repo.findOneByOrFail({ id } as never)) as R;
  }

  async enregistrerDiagnostic(row: DiagnosticRow): Promise<DiagnosticRow> {
    await this.em.getRepository(Diagnostic).upsert(row, ['parcoursId']);
    return this.em.getRepository(Diagnostic).findOneByOrFail({ parcoursId: row.parcoursId });
  }

  diagnostic(parcoursId: string): Promise<DiagnosticRow | null> {
    return this.em.getRepository(Diagnostic).findOneBy({ parcoursId });
  }

  ajouterDiplome(row: Nouveau<DiplomeRow>): Promise<DiplomeRow> {
    return this.inserer<DiplomeRow>(Diplome, row);
  }

  diplome(id: string): Promise<DiplomeRow | null> {
    return this.em.getRepository(Diplome).findOneBy({ id });
  }

  async modifierDiplome(id: string, changes: Partial<DiplomeRow>): Promise<DiplomeRow> {
    await this.em.getRepository(Diplome).update({ id }, changes);
    return this.em.getRepository(Diplome).findOneByOrFail({ id });
  }

  ajouterExperience(row: Nouveau<ExperienceRow>): Promise<ExperienceRow> {
    return this.inserer<ExperienceRow>(Experience, row);
  }

  frein(parcoursId: string, type: FreinRow['type']): Promise<FreinRow | null> {
    return this.em.getRepository(Frein).findOneBy({ parcoursId, type });
  }

  async enregistrerFrein(row: FreinRow): Promise<FreinRow> {
    await this.em.getRepository(Frein).save(row);
    return this.em.getRepository(Frein).findOneByOrFail({ parcoursId: row.parcoursId, type: row.type });
  }

  ajouterEvaluation(row: Nouveau<EvaluationLangueRow>): Promise<EvaluationLangueRow> {
    return this.inserer<EvaluationLangueRow>(EvaluationLangue, row);
  }

  ajouterCertification(row: Nouveau<CertificationLangueRow>): Promise<CertificationLangueRow> {
    return this.inserer<CertificationLangueRow>(CertificationLangue, row);
  }

  async definirProjet(row: ProjetRow): Promise<ProjetRow> {
    await this.em.getRepository(Projet).upsert(row, ['parcoursId']);
    return this.em.getRepository(Projet).findOneByOrFail({ parcoursId: row.parcoursId });
  }

  projet(parcoursId: string): Promise<ProjetRow | null> {
    return this.em.getRepository(Projet).findOneBy({ parcoursId });
  }

  ajouterEtape(row: Nouveau<EtapeProjetRow>): Promise<EtapeProjetRow> {
    return this.inserer<EtapeProjetRow>(EtapeProjet, row);
  }

  async inscrireFranceTravail(row: InscriptionFranceTravailRow): Promise<InscriptionFranceTravailRow> {
    await this.em.getRepository(InscriptionFranceTravail).upsert(row, ['parcoursId']);
    return this.em.getRepository(InscriptionFranceTravail).findOneByOrFail({ parcoursId: row.parcoursId });
  }

  ajouterAccompagnement(row: Nouveau<AccompagnementExterneRow>): Promise<AccompagnementExterneRow> {
    return this.inserer<AccompagnementExterneRow>(AccompagnementExterne, row);
  }

  ajouterCandidature(row: Nouveau<CandidatureRow>): Promise<CandidatureRow> {
    return this.inserer<CandidatureRow>(Candidature, row);
  }

  candidature(id: string): Promise<CandidatureRow | null> {
    return this.em.getRepository(Candidature).findOneBy({ id });
  }

  async modifierCandidature(id: string, changes: Partial<CandidatureRow>): Promise<CandidatureRow> {
    await this.em.getRepository(Candidature).update({ id }, changes);
    return this.em.getRepository(Candidature).findOneByOrFail({ id });
  }

  ajouterFormation(row: Nouveau<FormationRow>): Promise<FormationRow> {
    return this.inserer<FormationRow>(Formation, row);
  }

  formation(id: string): Promise<FormationRow | null> {
    return this.em.getRepository(Formation).findOneBy({ id });
  }

  async modifierFormation(id: string, changes: Partial<FormationRow>): Promise<FormationRow> {
    await this.em.getRepository(Formation).update({ id }, changes);
    return this.em.getRepository(Formation).findOneByOrFail({ id });
  }

  ajouterContrat(row: Nouveau<ContratTravailRow>): Promise<ContratTravailRow> {
    return this.inserer<ContratTravailRow>(ContratTravail, row);
  }

  contrat(id: string): Promise<ContratTravailRow | null> {
    return this.em.getRepository(ContratTravail).findOneBy({ id });
  }

  async modifierContrat(id: string, changes: Partial<ContratTravailRow>): Promise<ContratTravailRow> {
    await this.em.getRepository(ContratTravail).update({ id }, changes);
    return this.em.getRepository(ContratTravail).findOneByOrFail({ id });
  }

  declarerSituation(row: Nouveau<SituationProfessionnelleRow>): Promise<SituationProfessionnelleRow> {
    return this.inserer<SituationProfessionnelleRow>(SituationProfessionnelle, row);
  }
}
