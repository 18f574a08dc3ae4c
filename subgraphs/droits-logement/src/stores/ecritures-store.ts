import type { IsoDate } from '@agir/common';
import type { EntityManager } from 'typeorm';
import {
  DemarcheDroit,
  IncidentLogement,
  MesureLogement,
  PropositionLogement,
  SituationLogement,
  type DemandeLogementSocialRow,
  type DemarcheDroitRow,
  type IncidentLogementRow,
  type MesureLogementRow,
  type PropositionLogementRow,
  type SituationLogementRow,
} from '../entities';

/**
 * The writes of the domain, inside one transaction (the caller's `EntityManager`). `ouvrirDossier`
 * comes first in every transaction: it creates the dossier on the first write for a parcours and
 * locks it, so that two writes on the same parcours (two moves, two answers) run one after the
 * other and each validates against what the other wrote.
 */
export class EcrituresStore {
  constructor(private readonly em: EntityManager) {}

  async ouvrirDossier(parcoursId: string, departement: string, jour: IsoDate): Promise<void> {
    await this.em.query('INSERT INTO dossier (parcours_id, departement, ouvert_le) VALUES ($1, $2, $3) ON CONFLICT (parcours_id) DO NOTHING', [
      parcoursId,
      departement,
      jour,
    ]);
    await this.em.query('SELECT 1 FROM dossier WHERE parcours_id = $1 FOR UPDATE', [parcoursId]);
  }

  historique(parcoursId: string): Promise<SituationLogementRow[]> {
    return this.em.getRepository(SituationLogement).find({ where: { parcoursId }, order: { dateDebut: 'ASC' } });
  }

  async insererSituation(row: Omit<SituationLogementRow, 'id'>): Promise<SituationLogementRow> {
    const result = await this.em.getRepository(SituationLogement).insert({ ...row });
    return { ...row, id: (result.identifiers[0] as { id: string }).id };
  }

  async terminerSituation(id: string, dateFin: IsoDate): Promise<void> {
    await this.em.getRepository(SituationLogement).update({ id }, { dateFin });
  }

  demarche(id: string): Promise<DemarcheDroitRow | null> {
    return this.em.getRepository(DemarcheDroit).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insererDemarche(row: Omit<DemarcheDroitRow, 'id'>): Promise<DemarcheDroitRow> {
    const result = await this.em.getRepository(DemarcheDroit).insert({ ...row });
    return { ...row, id: (result.identifiers[0] as { id: string }).id };
  }

  async majDemarche(row: DemarcheDroitRow): Promise<void> {
    const { id, ...champs } = row;
    await this.em.getRepository(DemarcheDroit).update({ id }, champs);
  }

  async demande(where: { parcoursId: string } | { id: string }): Promise<DemandeLogementSocialRow | null> {
    const [colonne, valeur] = 'id' in where ? ['id', where.id] : ['parcours_id', where.parcoursId];
    const rows = (await this.em.query(
      `SELECT id, parcours_id AS "parcoursId", numero_unique AS "numeroUnique", date_depot::text AS "dateDepot",
              communes_souhaitees AS "communesSouhaitees", typologies_souhaitees AS "typologiesSouhaitees",
              renouvellements::text[] AS "renouvellements"
         FROM demande_logement_social WHERE ${colonne} = $1 FOR UPDATE`,
      [valeur],
    )) as DemandeLogementSocialRow[];
    return rows[0] ?? null;
  }

  async insererDemande(row: Omit<DemandeLogementSocialRow, 'id' | 'renouvellements'>): Promise<DemandeLogementSocialRow> {
    const rows = (await this.em.query(
      `INSERT INTO demande_logement_social (parcours_id, numero_unique, date_depot, communes_souhaitees, typologies_souhaitees)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [row.parcoursId, row.numeroUnique, row.dateDepot, row.communesSouhaitees, row.typologiesSouhaitees],
    )) as { id: string }[];
    return { ...row, id: rows[0]!.id, renouvellements: [] };
  }

  async ajouterRenouvellement(id: string, date: IsoDate): Promise<void> {
    await this.em.query('UPDATE demande_logement_social SET renouvellements = renouvellements || $2::date WHERE id = $1', [id, date]);
  }

  proposition(id: string): Promise<PropositionLogementRow | null> {
    return this.em.getRepository(PropositionLogement).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insererProposition(row: Omit<PropositionLogementRow, 'id'>): Promise<PropositionLogementRow> {
    const result = await this.em.getRepository(PropositionLogement).insert({ ...row });
    return { ...row, id: (result.identifiers[0] as { id: string }).id };
  }

  async majReponse(id: string, reponse: PropositionLogementRow['reponse'], dateReponse: IsoDate, motifRefus: string | null): Promise<void> {
    await this.em.getRepository(PropositionLogement).update({ id }, { reponse, dateReponse, motifRefus });
  }

  async insererMesure(row: Omit<MesureLogementRow, 'id'>): Promise<MesureLogementRow> {
    const result = await this.em.getRepository(MesureLogement).insert({ ...row });
    return { ...row, id: (result.identifiers[0] as { id: string }).id };
  }

  incident(id: string): Promise<IncidentLogementRow | null> {
    return this.em.getRepository(IncidentLogement).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insererIncident(row: Omit<IncidentLogementRow, 'id'>): Promise<IncidentLogementRow> {
    const result = await this.em.getRepository(IncidentLogement).insert({ ...row });
    return { ...row, id: (result.identifiers[0] as { id: string }).id };
  }

  async resoudreIncident(id: string, dateResolution: IsoDate): Promise<void> {
    await this.em.getRepository(IncidentLogement).update({ id }, { dateResolution });
  }
}
