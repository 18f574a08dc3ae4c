import type { DataSource, EntityManager } from 'typeorm';
import {
  Commission,
  ContratEngagement,
  Convocation,
  Diagnostic,
  EntretienSuivi,
  Evaluation,
  type CommissionRow,
  type ContratEngagementRow,
  type ConvocationRow,
  type DiagnosticRow,
  type EntretienSuiviRow,
  type EvaluationRow,
} from '../entities';

/**
 * The content of each step of a parcours: convocation, diagnostic, commission, contract,
 * evaluations and follow-up interviews. Read in batches by parcours id (for the loaders), written
 * inside the transaction of the transition they belong to.
 */
export class EtapesStore {
  constructor(private readonly db: DataSource) {}

  private byParcours<T extends object>(entity: Parameters<DataSource['getRepository']>[0], ids: readonly string[], order?: string): Promise<T[]> {
    const qb = this.db.getRepository(entity).createQueryBuilder('e').where('e.parcours_id = ANY(:ids)', { ids: [...ids] });
    if (order) qb.orderBy(order, 'ASC');
    return qb.getMany() as Promise<T[]>;
  }

  convocations = (ids: readonly string[]) => this.byParcours<ConvocationRow>(Convocation, ids);
  diagnostics = (ids: readonly string[]) => this.byParcours<DiagnosticRow>(Diagnostic, ids);
  commissions = (ids: readonly string[]) => this.byParcours<CommissionRow>(Commission, ids);
  contrats = (ids: readonly string[]) => this.byParcours<ContratEngagementRow>(ContratEngagement, ids);
  evaluations = (ids: readonly string[]) => this.byParcours<EvaluationRow>(Evaluation, ids, 'e.date_evaluation');
  suivis = (ids: readonly string[]) => this.byParcours<EntretienSuiviRow>(EntretienSuivi, ids, 'e.date_entretien');

  /**
   * The last day something was recorded for each parcours in Coordination: a transition, an
   * evaluation, a follow-up or a workshop attended. Parcours with nothing recorded are absent.
   */
  async dernieresActivites(ids: readonly string[]): Promise<{ parcoursId: string; date: string }[]> {
    return (await this.db.query(
      `SELECT parcours_id AS "parcoursId", max(d)::text AS date FROM (
         SELECT parcours_id, date_effet AS d FROM transition_parcours WHERE parcours_id = ANY($1)
         UNION ALL SELECT parcours_id, date_evaluation FROM evaluation WHERE parcours_id = ANY($1)
         UNION ALL SELECT parcours_id, date_entretien FROM entretien_suivi WHERE parcours_id = ANY($1)
         UNION ALL SELECT ap.parcours_id, a.date_atelier FROM atelier_participant ap JOIN atelier a ON a.id = ap.atelier_id WHERE ap.parcours_id = ANY($1)
       ) activites GROUP BY parcours_id`,
      [[...ids]],
    )) as { parcoursId: string; date: string }[];
  }

  async ecrireConvocation(m: EntityManager, row: ConvocationRow): Promise<void> {
    // A second convocation (after a reintegration, say) replaces the first: the history keeps the dates.
    await m.getRepository(Convocation).upsert(row, ['parcoursId']);
  }
  async ecrireDiagnostic(m: EntityManager, row: DiagnosticRow): Promise<void> {
    await m.getRepository(Diagnostic).insert(row);
  }
  async ecrireCommission(m: EntityManager, row: CommissionRow): Promise<void> {
    await m.getRepository(Commission).insert(row);
  }
  async ecrireContrat(m: EntityManager, row: ContratEngagementRow): Promise<void> {
    await m.getRepository(ContratEngagement).insert(row);
  }
  async ecrireEvaluation(m: EntityManager, row: Omit<EvaluationRow, 'id'>): Promise<void> {
    await m.getRepository(Evaluation).insert(row);
  }
  async ecrireSuivi(m: EntityManager, row: EntretienSuiviRow): Promise<void> {
    await m.getRepository(EntretienSuivi).insert(row);
  }
}
