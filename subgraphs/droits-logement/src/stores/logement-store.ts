import type { IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';
import {
  DemarcheDroit,
  Dossier,
  IncidentLogement,
  MesureLogement,
  PropositionLogement,
  SituationLogement,
  type DemandeLogementSocialRow,
  type DemarcheDroitRow,
  type DossierRow,
  type IncidentLogementRow,
  type MesureLogementRow,
  type PropositionLogementRow,
  type SituationLogementRow,
} from '../entities';

/** The number of refused offers of a parcours this domain follows, with its département. */
export interface CompteRefusRow {
  parcoursId: string;
  departement: string;
  refus: number;
}

/**
 * Dossiers, housing situations, rights procedures, the social-housing application, offers,
 * measures and incidents, read in batches of parcours ids: one statement per call, whatever the
 * number of ids (the loaders call these once per tick).
 */
export class DroitsLogementStore {
  constructor(private readonly db: DataSource) {}

  dossiers(parcoursIds: readonly string[]): Promise<DossierRow[]> {
    return this.db.getRepository(Dossier).createQueryBuilder('d').where('d.parcours_id = ANY(:ids)', { ids: [...parcoursIds] }).getMany();
  }

  /**
   * The situation in force on `jour` of each parcours, chosen exactly as the rule
   * `situationCourante` chooses it: among the periods that started on or before that day and end
   * on or after it (or not at all), the latest started; on equal starts the one ending latest
   * (an open one first), then the last recorded. No row for a parcours that no period covers.
   */
  situationsCourantes(parcoursIds: readonly string[], jour: IsoDate): Promise<SituationLogementRow[]> {
    return this.db
      .getRepository(SituationLogement)
      .createQueryBuilder('s')
      .distinctOn(['s.parcours_id'])
      .where('s.parcours_id = ANY(:ids)', { ids: [...parcoursIds] })
      .andWhere('s.date_debut <= :jour AND (s.date_fin IS NULL OR s.date_fin >= :jour)', { jour })
      .orderBy('s.parcours_id')
      .addOrderBy('s.date_debut', 'DESC')
      .addOrderBy('s.date_fin', 'DESC', 'NULLS FIRST')
      .addOrderBy('s.id', 'DESC')
      .getMany();
  }

  historiques(parcoursIds: readonly string[]): Promise<SituationLogementRow[]> {
    return this.db
      .getRepository(SituationLogement)
      .createQueryBuilder('s')
      .where('s.parcours_id = ANY(:ids)', { ids: [...parcoursIds] })
      .orderBy('s.date_debut', 'ASC')
      .addOrderBy('s.date_fin', 'ASC', 'NULLS LAST')
      .getMany();
  }

  demarches(parcoursIds: readonly string[]): Promise<DemarcheDroitRow[]> {
    return this.db
      .getRepository(DemarcheDroit)
      .createQueryBuilder('d')
      .where('d.parcours_id = ANY(:ids)', { ids: [...parcoursIds] })
      .orderBy('d.date_debut', 'ASC', 'NULLS LAST')
      .addOrderBy('d.id')
      .getMany();
  }

  /** Date arrays are read as text: node-postgres would turn them into local-time Date objects. */
  demandes(parcoursIds: readonly string[]): Promise<DemandeLogementSocialRow[]> {
    return this.db.query(
      `SELECT id, parcours_id AS "parcoursId", numero_unique AS "numeroUnique", date_depot::text AS "dateDepot",
              communes_souhaitees AS "communesSouhaitees", typologies_souhaitees AS "typologiesSouhaitees",
              renouvellements::text[] AS "renouvellements"
         FROM demande_logement_social WHERE parcours_id = ANY($1)`,
      [[...parcoursIds]],
    ) as Promise<DemandeLogementSocialRow[]>;
  }

  propositions(parcoursIds: readonly string[]): Promise<PropositionLogementRow[]> {
    return this.db
      .getRepository(PropositionLogement)
      .createQueryBuilder('p')
      .where('p.parcours_id = ANY(:ids)', { ids: [...parcoursIds] })
      .orderBy('p.date', 'ASC')
      .addOrderBy('p.id')
      .getMany();
  }

  /** The refused offers of each followed parcours (0 included); no row for a parcours not followed. */
  /**
   * The date of the latest Droits & Logement event of each parcours on or before \`jour\` (a start, an end, an
   * answer...), in one SQL statement for all of them; a parcours without any is left out.
   */
  async dernieresActivites(parcoursIds: readonly string[], jour: string): Promise<{ parcoursId: string; date: string }[]> {
    return (await this.db.query(
      `SELECT parcours_id AS "parcoursId", to_char(max(d), 'YYYY-MM-DD') AS date
         FROM (SELECT parcours_id, d::date AS d FROM (
          SELECT parcours_id, date_debut AS d FROM situation_logement WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM situation_logement WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_debut AS d FROM demarche_droit WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM demarche_droit WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_depot AS d FROM demande_logement_social WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, unnest(renouvellements) AS d FROM demande_logement_social WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date AS d FROM proposition_logement WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_reponse AS d FROM proposition_logement WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_debut AS d FROM mesure_logement WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_fin AS d FROM mesure_logement WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date AS d FROM incident_logement WHERE parcours_id = ANY($1)
          UNION ALL SELECT parcours_id, date_resolution AS d FROM incident_logement WHERE parcours_id = ANY($1)) u) a
        WHERE d <= $2::date
        GROUP BY parcours_id`,
      [[...parcoursIds], jour],
    )) as { parcoursId: string; date: string }[];
  }

  async comptesRefus(parcoursIds: readonly string[]): Promise<CompteRefusRow[]> {
    const rows = (await this.db.query(
      `SELECT d.parcours_id AS "parcoursId", d.departement, count(p.id)::int AS refus
         FROM dossier d LEFT JOIN proposition_logement p ON p.parcours_id = d.parcours_id AND p.reponse = 'REFUSEE'
        WHERE d.parcours_id = ANY($1)
        GROUP BY d.parcours_id, d.departement`,
      [[...parcoursIds]],
    )) as CompteRefusRow[];
    return rows;
  }

  mesures(parcoursIds: readonly string[]): Promise<MesureLogementRow[]> {
    return this.db
      .getRepository(MesureLogement)
      .createQueryBuilder('m')
      .where('m.parcours_id = ANY(:ids)', { ids: [...parcoursIds] })
      .orderBy('m.date_debut', 'ASC')
      .addOrderBy('m.id')
      .getMany();
  }

  incidents(parcoursIds: readonly string[]): Promise<IncidentLogementRow[]> {
    return this.db
      .getRepository(IncidentLogement)
      .createQueryBuilder('i')
      .where('i.parcours_id = ANY(:ids)', { ids: [...parcoursIds] })
      .orderBy('i.date', 'ASC')
      .addOrderBy('i.id')
      .getMany();
  }

  /** One procedure, one offer, one application, one incident by id (the write path's first look). */
  async parcoursDe(table: 'demarche_droit' | 'proposition_logement' | 'demande_logement_social' | 'incident_logement', id: string): Promise<string | null> {
    const rows = (await this.db.query(`SELECT parcours_id AS "parcoursId" FROM ${table} WHERE id = $1`, [id])) as { parcoursId: string }[];
    return rows[0]?.parcoursId ?? null;
  }
}
