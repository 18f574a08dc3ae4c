import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** Where a catalogue entry comes from. */
export type SourceOffreLocale = 'DATA_INCLUSION' | 'REFUGIES_INFO';
export const SOURCES_OFFRE_LOCALE: readonly SourceOffreLocale[] = ['DATA_INCLUSION', 'REFUGIES_INFO'];

/** One entry of the local offer catalogue, as a source describes it. */
export interface EntreeOffreLocale {
  source: SourceOffreLocale;
  /** The id in the source (data·inclusion's `id`, Réfugiés.info's `_id`). */
  sourceId: string;
  /** For data·inclusion, the upstream the entry comes from (dora, soliguide...). */
  sourceOrigine: string | null;
  departement: string;
  nom: string;
  description: string | null;
  thematiques: string[];
  /** INSEE code of the commune, when the source gives one. */
  commune: string | null;
  structure: string | null;
  lienSource: string | null;
  /** The source's own last update date (YYYY-MM-DD). */
  dateMaj: string | null;
}

/** A stored entry: the source's description plus what the hub knows of its history. */
export interface OffreLocale extends Omit<EntreeOffreLocale, 'departement'> {
  /** The départements whose last run found the entry. */
  departements: string[];
  derniereMaj: Date;
  vuLe: Date;
  supprimeLe: Date | null;
}

/** What one source gave a run. */
export interface RapportSource {
  statut: 'OK' | 'ECHEC';
  recus: number;
  /** Why the source failed, in words a coordinator can act on. */
  raison: string | null;
}

/** The report of a synchronisation run, returned and stored. */
export interface RapportSynchronisation {
  id: string;
  departement: string;
  statut: 'REUSSIE' | 'ECHOUEE';
  debut: Date;
  fin: Date;
  ajoutes: number;
  mis_a_jour: number;
  supprimes: number;
  /** Sources that failed; any failure leaves the catalogue as it was. */
  echecs: number;
  sources: Record<SourceOffreLocale, RapportSource>;
}

interface Existante {
  source: SourceOffreLocale;
  source_id: string;
  departements: string[];
  empreinte: string;
  supprime_le: Date | null;
}

type Ecriture = EntreeOffreLocale & { empreinte: string; departements: string[] };

/**
 * The SQL of the local offer catalogue (`offre_locale`) and of its run reports. A run's changes
 * and its report are written in one transaction, under a per-département lock so two runs of the
 * same département cannot interleave; the number of statements does not grow with the catalogue.
 */
export class OffreLocaleStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Applies a complete reading of `sources` for a département: new entries are added, changed
   * ones updated, entries that are back un-deleted, entries no longer there taken out of the
   * département (and marked `supprime_le` when no other département lists them). Stores
   * `rapport` (with the counts filled in) in the same transaction and returns it. The counts are
   * the département's: an entry another département already had counts as added here.
   */
  async appliquer(
    rapport: Omit<RapportSynchronisation, 'ajoutes' | 'mis_a_jour' | 'supprimes'>,
    entrees: EntreeOffreLocale[],
  ): Promise<RapportSynchronisation> {
    const departement = rapport.departement;
    const sources = Object.entries(rapport.sources)
      .filter(([, source]) => source.statut === 'OK')
      .map(([source]) => source);
    const incoming = new Map<string, EntreeOffreLocale & { empreinte: string }>();
    for (const entree of entrees) incoming.set(cle(entree.source, entree.sourceId), { ...entree, departement, empreinte: empreinte(entree) });
    const incomingKeys = [...incoming.values()].map((entree) => ({ source: entree.source, source_id: entree.sourceId }));

    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('offre_locale:' || $1))`, [departement]);
      // The département's entries, and the incoming ones wherever they are (another département
      // may already list them), locked until the run commits.
      const existantes: Existante[] = await manager.query(
        `SELECT o.source, o.source_id, o.departements, o.empreinte, o.supprime_le
         FROM offre_locale o
         WHERE o.source = ANY($2::text[])
           AND ($1 = ANY(o.departements)
                OR (o.source, o.source_id) IN (SELECT x.source, x.source_id FROM jsonb_to_recordset($3::jsonb) AS x(source text, source_id text)))
         FOR UPDATE`,
        [departement, sources, JSON.stringify(incomingKeys)],
      );
      const parCle = new Map(existantes.map((row) => [cle(row.source, row.source_id), row]));

      const ecrites: Ecriture[] = [];
      const inchangees: { source: string; source_id: string }[] = [];
      let ajoutes = 0;
      let misAJour = 0;
      for (const [key, entree] of incoming) {
        const existante = parCle.get(key);
        if (!existante || existante.supprime_le !== null) {
          ajoutes += 1;
          ecrites.push({ ...entree, departements: [departement] });
        } else if (!existante.departements.includes(departement)) {
          ajoutes += 1;
          ecrites.push({ ...entree, departements: [...existante.departements, departement].sort() });
        } else if (existante.empreinte !== entree.empreinte) {
          misAJour += 1;
          ecrites.push({ ...entree, departements: existante.departements });
        } else {
          inchangees.push({ source: entree.source, source_id: entree.sourceId });
        }
      }
      const disparues = existantes
        .filter((row) => row.supprime_le === null && row.departements.includes(departement) && !incoming.has(cle(row.source, row.source_id)))
        .map((row) => {
          const restants = row.departements.filter((code) => code !== departement);
          // The last département keeps its name on the deleted entry, so its history stays findable.
          return { source: row.source, source_id: row.source_id, departements: restants.length ? restants : row.departements, supprime: restants.length === 0 };
        });

      const complet: RapportSynchronisation = { ...rapport, ajoutes, mis_a_jour: misAJour, supprimes: disparues.length };
      // The report first: the entries reference the run that wrote them.
      await this.enregistrer(manager, complet);
      if (ecrites.length) await this.ecrire(manager, ecrites, rapport.id);
      if (inchangees.length) {
        await manager.query(
          `UPDATE offre_locale o SET vu_le = now(), derniere_synchronisation_id = $2
           FROM jsonb_to_recordset($1::jsonb) AS x(source text, source_id text)
           WHERE o.source = x.source AND o.source_id = x.source_id`,
          [JSON.stringify(inchangees), rapport.id],
        );
      }
      if (disparues.length) {
        await manager.query(
          `UPDATE offre_locale o
           SET departements = ARRAY(SELECT jsonb_array_elements_text(x.departements)),
               supprime_le = CASE WHEN x.supprime THEN now() ELSE NULL END,
               derniere_maj = now(), derniere_synchronisation_id = $2
           FROM jsonb_to_recordset($1::jsonb) AS x(source text, source_id text, departements jsonb, supprime boolean)
           WHERE o.source = x.source AND o.source_id = x.source_id`,
          [JSON.stringify(disparues), rapport.id],
        );
      }
      return complet;
    });
  }

  /** Stores the report of a run that changed nothing (a source failed). */
  async enregistrerEchec(rapport: RapportSynchronisation): Promise<void> {
    await this.enregistrer(this.dataSource.manager, rapport);
  }

  /** The catalogue of a département (or one service of it), live entries only unless asked, by source then id. */
  async lister(departement: string, options: { avecSupprimees?: boolean; service?: { source: SourceOffreLocale; sourceId: string } } = {}): Promise<OffreLocale[]> {
    const params: unknown[] = [departement];
    const service = options.service ? `AND source = $${params.push(options.service.source)} AND source_id = $${params.push(options.service.sourceId)}` : '';
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT source, source_id, source_origine, departements, nom, description, thematiques, commune, structure, lien_source,
              to_char(date_maj_source, 'YYYY-MM-DD') AS date_maj, derniere_maj, vu_le, supprime_le
       FROM offre_locale WHERE $1 = ANY(departements) ${options.avecSupprimees ? '' : 'AND supprime_le IS NULL'} ${service}
       ORDER BY source, source_id`,
      params,
    );
    return rows.map((row) => ({
      source: row.source as SourceOffreLocale,
      sourceId: row.source_id as string,
      sourceOrigine: row.source_origine as string | null,
      departements: row.departements as string[],
      nom: row.nom as string,
      description: row.description as string | null,
      thematiques: row.thematiques as string[],
      commune: row.commune as string | null,
      structure: row.structure as string | null,
      lienSource: row.lien_source as string | null,
      dateMaj: row.date_maj as string | null,
      derniereMaj: row.derniere_maj as Date,
      vuLe: row.vu_le as Date,
      supprimeLe: row.supprime_le as Date | null,
    }));
  }

  /** The reports of a département's runs, latest first. */
  async rapports(departement: string, limit = 20): Promise<RapportSynchronisation[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, departement, statut, debut, fin, ajoutes, mis_a_jour, supprimes, echecs, sources
       FROM synchronisation_offre_locale WHERE departement = $1 ORDER BY debut DESC, fin DESC LIMIT $2`,
      [departement, limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      departement: row.departement as string,
      statut: row.statut as RapportSynchronisation['statut'],
      debut: row.debut as Date,
      fin: row.fin as Date,
      ajoutes: row.ajoutes as number,
      mis_a_jour: row.mis_a_jour as number,
      supprimes: row.supprimes as number,
      echecs: row.echecs as number,
      sources: row.sources as RapportSynchronisation['sources'],
    }));
  }

  private async enregistrer(manager: EntityManager, rapport: RapportSynchronisation): Promise<void> {
    await manager.query(
      `INSERT INTO synchronisation_offre_locale (id, departement, statut, debut, fin, ajoutes, mis_a_jour, supprimes, echecs, sources)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
      [rapport.id, rapport.departement, rapport.statut, rapport.debut, rapport.fin, rapport.ajoutes, rapport.mis_a_jour, rapport.supprimes, rapport.echecs, JSON.stringify(rapport.sources)],
    );
  }

  /** Inserts or updates entries in one statement; an entry that was deleted comes back. */
  private async ecrire(manager: EntityManager, entrees: Ecriture[], runId: string): Promise<void> {
    const rows = entrees.map((entree) => ({
      source: entree.source,
      source_id: entree.sourceId,
      source_origine: entree.sourceOrigine,
      departements: entree.departements,
      nom: entree.nom,
      description: entree.description,
      thematiques: entree.thematiques,
      commune: entree.commune,
      structure: entree.structure,
      lien_source: entree.lienSource,
      date_maj_source: entree.dateMaj,
      empreinte: entree.empreinte,
    }));
    await manager.query(
      `INSERT INTO offre_locale (source, source_id, source_origine, departements, nom, description, thematiques, commune, structure,
                                 lien_source, date_maj_source, empreinte, premiere_synchronisation_id, derniere_synchronisation_id)
       SELECT x.source, x.source_id, x.source_origine, ARRAY(SELECT jsonb_array_elements_text(x.departements)), x.nom, x.description,
              ARRAY(SELECT jsonb_array_elements_text(x.thematiques)), x.commune, x.structure, x.lien_source, x.date_maj_source,
              x.empreinte, $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(source text, source_id text, source_origine text, departements jsonb, nom text,
            description text, thematiques jsonb, commune text, structure text, lien_source text, date_maj_source date, empreinte text)
       ON CONFLICT (source, source_id) DO UPDATE SET
         source_origine = EXCLUDED.source_origine, departements = EXCLUDED.departements, nom = EXCLUDED.nom,
         description = EXCLUDED.description, thematiques = EXCLUDED.thematiques, commune = EXCLUDED.commune,
         structure = EXCLUDED.structure, lien_source = EXCLUDED.lien_source, date_maj_source = EXCLUDED.date_maj_source,
         empreinte = EXCLUDED.empreinte, derniere_synchronisation_id = EXCLUDED.derniere_synchronisation_id,
         derniere_maj = now(), vu_le = now(), supprime_le = NULL`,
      [JSON.stringify(rows), runId],
    );
  }
}

const cle = (source: string, sourceId: string) => `${source}\u0000${sourceId}`;

/**
 * A fingerprint of what a source says of an entry, to tell a change from a re-read. The
 * département is left out: it is where the entry was read, not what it says.
 */
function empreinte(entree: EntreeOffreLocale): string {
  const contenu = [
    entree.sourceOrigine,
    entree.nom,
    entree.description,
    [...entree.thematiques].sort(),
    entree.commune,
    entree.structure,
    entree.lienSource,
    entree.dateMaj,
  ];
  return createHash('sha256').update(JSON.stringify(contenu)).digest('hex');
}
