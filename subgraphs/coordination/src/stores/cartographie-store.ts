import type { DataSource } from 'typeorm';
import type { SourceOffreLocale } from '../connectors/offre-locale-store';

export type EtatConvention = 'EN_COURS' | 'SIGNEE';

/** A catalogue service marked as a partner of the consortium in a département. */
export interface Partenariat {
  source: SourceOffreLocale;
  sourceId: string;
  departement: string;
  etatConvention: EtatConvention;
  dateSignature: string | null;
  structureId: string | null;
  marquePar: string;
  marqueLe: Date;
}

const COLONNES = `source, source_id AS "sourceId", departement, etat_convention AS "etatConvention",
  to_char(date_signature, 'YYYY-MM-DD') AS "dateSignature", structure_id AS "structureId", marque_par AS "marquePar", marque_le AS "marqueLe"`;

/**
 * The SQL of the map of actors: the partnerships of catalogue services, and the catalogue counted
 * by first-level theme. One statement each, whatever the size of the catalogue.
 */
export class CartographieStore {
  constructor(private readonly db: DataSource) {}

  /** The partnerships of a département (or of one service there), by (source, source id). */
  async partenariats(departement: string, service?: { source: SourceOffreLocale; sourceId: string }): Promise<Map<string, Partenariat>> {
    const params: unknown[] = [departement];
    const filtre = service ? ` AND source = $${params.push(service.source)} AND source_id = $${params.push(service.sourceId)}` : '';
    const rows = (await this.db.query(`SELECT ${COLONNES} FROM partenariat_offre_locale WHERE departement = $1${filtre}`, params)) as Partenariat[];
    return new Map(rows.map((r) => [cle(r.source, r.sourceId), r]));
  }

  /** Records the partnership, or updates it (one statement, in a transaction so that the journal names its author). */
  async marquer(p: Omit<Partenariat, 'marqueLe'>): Promise<void> {
    await this.db.transaction((m) => m.query(
      `INSERT INTO partenariat_offre_locale (source, source_id, departement, etat_convention, date_signature, structure_id, marque_par)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (source, source_id, departement) DO UPDATE SET etat_convention = EXCLUDED.etat_convention,
         date_signature = EXCLUDED.date_signature, structure_id = EXCLUDED.structure_id, marque_par = EXCLUDED.marque_par, marque_le = now()`,
      [p.source, p.sourceId, p.departement, p.etatConvention, p.dateSignature, p.structureId, p.marquePar],
    ));
  }

  /** Removes the partnership (journalled with its author); false when there was none. */
  async retirer(source: SourceOffreLocale, sourceId: string, departement: string): Promise<boolean> {
    const [, count] = (await this.db.transaction((m) =>
      m.query('DELETE FROM partenariat_offre_locale WHERE source = $1 AND source_id = $2 AND departement = $3', [source, sourceId, departement]),
    )) as [unknown, number];
    return count > 0;
  }

  /** The catalogue of a département by first-level theme (the part before `--`), most services first. */
  offreParThematique(departement: string): Promise<{ thematique: string; services: number; partenaires: number }[]> {
    return this.db.query(
      `WITH t AS (
         SELECT DISTINCT o.source, o.source_id, split_part(th, '--', 1) AS thematique
           FROM offre_locale o CROSS JOIN LATERAL unnest(o.thematiques) AS th
          WHERE $1 = ANY(o.departements) AND o.supprime_le IS NULL)
       SELECT t.thematique, count(*)::int AS services, count(p.source)::int AS partenaires
         FROM t LEFT JOIN partenariat_offre_locale p ON p.source = t.source AND p.source_id = t.source_id AND p.departement = $1
        GROUP BY t.thematique ORDER BY services DESC, t.thematique`,
      [departement],
    );
  }
}

export const cle = (source: string, sourceId: string) => `${source}:${sourceId}`;
