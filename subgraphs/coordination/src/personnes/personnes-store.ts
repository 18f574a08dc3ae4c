import { badUserInput, type IsoDate } from '@agir/common';
import type { DataSource, EntityManager } from 'typeorm';
import { Parcours, type ParcoursRow, type StatutParcours } from '../entities';
import { positional } from '../stores/acces-store';

/**
 * Finding people, and their likely duplicates, in the `beneficiaire` table: names compared on
 * their searchable form (`recherche`, lower case without accents, trigram index) and their
 * consonant skeletons (`squelettes`, GIN index), birth dates on their index (see the migration
 * 1700000050000). A merged record (`fusionne_dans`) is never found again.
 */

export type CritereRecherche = 'NOM' | 'DATE_NAISSANCE' | 'NUMERO_DOSSIER_OFII';

export interface PersonneCandidate {
  beneficiaireId: string;
  score: number;
  correspondances: CritereRecherche[];
}

export interface CriteresRecherche {
  texte: string | null;
  dateNaissance: IsoDate | null;
  numeroDossierOfii: string | null;
  departement: string | null;
}

/** An identity to compare with the records already held. */
export interface IdentiteComparee {
  nom: string;
  prenom: string;
  dateNaissance: IsoDate;
}

/** A parcours of a likely duplicate, as much as an entry's refusal may name. */
export interface ParcoursConnu {
  parcoursId: string;
  beneficiaireId: string;
  departement: string;
  statut: StatutParcours;
  canalOrientation: string;
  dateOrientation: IsoDate;
  dateFin: IsoDate | null;
}

/** A visibility condition on the alias `p` (acces-store.ts `visibilite`). */
type Visibilite = { sql: string; params: Record<string, unknown> };

/**
 * The words of a name searched for, as the search and `parcoursListe(filtre: { texte })` take
 * them: trimmed, two letters or digits at least, 100 characters at most (BAD_USER_INPUT naming `field`).
 */
export function texteDeRecherche(value: string, field: string): string {
  const texte = value.trim();
  if (texte.replace(/[^\p{L}\p{N}]/gu, '').length < 2 || texte.length > 100) {
    throw badUserInput(`« ${field} » doit contenir de deux lettres à 100 caractères d'un nom ou d'un prénom, reçu « ${value} ».`, field);
  }
  return texte;
}

/**
 * Whether the person `b` answers to a searched name whose searchable form and skeletons are the
 * SQL expressions `forme` and `squelettes`: trigram similarity (or the words within the name), or
 * every skeleton of the text among the person's. Indexed by the migration 1700000050000.
 */
export function conditionNom(forme: string, squelettes: string, b = 'b'): string {
  return `(${b}.recherche % ${forme} OR ${forme} <% ${b}.recherche OR (cardinality(${squelettes}) > 0 AND ${b}.squelettes @> ${squelettes}))`;
}

/** The name's score: its trigram similarity, or 0.8 when every skeleton of the text is the person's. */
const SCORE_NOM = `greatest(similarity(b.recherche, q.forme), word_similarity(q.forme, b.recherche),
  CASE WHEN cardinality(q.squelettes) > 0 AND b.squelettes @> q.squelettes THEN 0.8 ELSE 0 END)`;

export class PersonnesStore {
  constructor(private readonly db: DataSource) {}

  /** The people matching every criterion given, among those with a parcours `vis` lets through. */
  async rechercher(c: CriteresRecherche, vis: Visibilite, limit: number): Promise<PersonneCandidate[]> {
    const conditions = ['b.fusionne_dans IS NULL'];
    const scores: string[] = [];
    const correspondances: string[] = [];
    if (c.texte != null) {
      conditions.push(conditionNom('q.forme', 'q.squelettes'));
      scores.push(SCORE_NOM);
      correspondances.push("'NOM'");
    }
    if (c.dateNaissance != null) {
      conditions.push('b.date_naissance = CAST(:naissance AS date)');
      scores.push('1');
      correspondances.push("'DATE_NAISSANCE'");
    }
    const parcoursVisible = [`p.beneficiaire_id = b.id`, vis.sql];
    if (c.departement != null) parcoursVisible.push('p.departement = :departement');
    if (c.numeroDossierOfii != null) {
      parcoursVisible.push('upper(p.numero_dossier_ofii) = upper(:numero)');
      scores.push('1');
      correspondances.push("'NUMERO_DOSSIER_OFII'");
    }
    conditions.push(`EXISTS (SELECT 1 FROM parcours p WHERE ${parcoursVisible.join(' AND ')})`);
    const score = `((${scores.join(' + ')}) / ${scores.length}.0)`;
    const { sql, values } = positional(
      `WITH q AS (SELECT agir_forme_recherche(CAST(:texte AS text)) AS forme, agir_squelettes(CAST(:texte AS text)) AS squelettes)
       SELECT b.id AS "beneficiaireId", round(CAST(${score} AS numeric), 3) AS score, ARRAY[${correspondances.join(', ')}] AS correspondances
       FROM beneficiaire b CROSS JOIN q
       WHERE ${conditions.join(' AND ')}
       ORDER BY score DESC, b.nom, b.prenom, b.id
       LIMIT :limit`,
      { ...vis.params, texte: c.texte ?? '', naissance: c.dateNaissance, numero: c.numeroDossierOfii, departement: c.departement, limit },
    );
    const rows = (await this.db.query(sql, values)) as { beneficiaireId: string; score: string; correspondances: CritereRecherche[] }[];
    return rows.map((r) => ({ beneficiaireId: r.beneficiaireId, score: Number(r.score), correspondances: r.correspondances }));
  }

  /**
   * For each identity of `sources` (keyed by `cle`), the records with a parcours that are probably
   * the same person: the same birth date (or day and month swapped) and a resembling name (trigram
   * similarity of 0.5 or more, or skeletons one within the other), or the same name and birth year;
   * a source keyed by a record's id never finds itself. With `vis`, only records with a parcours it
   * lets through; without, all of them (an entry is checked against every record, wherever the
   * person was followed). One statement for all the sources.
   */
  async doublons(sources: readonly (IdentiteComparee & { cle: string })[], vis: Visibilite | null, limit = 10, m?: EntityManager): Promise<(PersonneCandidate & { cle: string })[]> {
    if (sources.length === 0) return [];
    const visible = `AND EXISTS (SELECT 1 FROM parcours p WHERE p.beneficiaire_id = b.id${vis ? ` AND ${vis.sql}` : ''})`;
    const { sql, values } = positional(
      `WITH s AS (
         SELECT * FROM unnest(CAST(:cles AS text[]), CAST(:noms AS text[]), CAST(:prenoms AS text[]), CAST(:naissances AS date[])) AS s(cle, nom, prenom, naissance)
       ), q AS (
         SELECT cle, naissance, agir_forme_recherche(nom || ' ' || prenom) AS forme, agir_squelettes(nom || ' ' || prenom) AS squelettes,
                CASE WHEN extract(day FROM naissance) <= 12 AND extract(day FROM naissance) <> extract(month FROM naissance)
                     THEN make_date(CAST(extract(year FROM naissance) AS int), CAST(extract(day FROM naissance) AS int), CAST(extract(month FROM naissance) AS int)) END AS inverse
         FROM s
       )
       SELECT q.cle, c."beneficiaireId", c.score, c.correspondances
       FROM q CROSS JOIN LATERAL (
         SELECT b.id AS "beneficiaireId",
                round(CAST(greatest(similarity(b.recherche, q.forme),
                  CASE WHEN b.squelettes @> q.squelettes OR q.squelettes @> b.squelettes THEN 0.8 ELSE 0 END)
                  * CASE WHEN b.date_naissance = q.naissance THEN 1 WHEN b.date_naissance = q.inverse THEN 0.9 ELSE 0.7 END AS numeric), 3) AS score,
                CASE WHEN b.date_naissance = q.naissance THEN ARRAY['NOM', 'DATE_NAISSANCE'] ELSE ARRAY['NOM'] END AS correspondances
         FROM beneficiaire b
         WHERE b.fusionne_dans IS NULL AND CAST(b.id AS text) <> q.cle
           AND (
             (b.date_naissance IN (q.naissance, q.inverse)
               AND (similarity(b.recherche, q.forme) >= 0.5 OR b.squelettes @> q.squelettes OR q.squelettes @> b.squelettes))
             OR (b.recherche = q.forme AND extract(year FROM b.date_naissance) = extract(year FROM q.naissance))
           ) ${visible}
         ORDER BY score DESC, b.id
         LIMIT :limit
       ) c
       ORDER BY q.cle, c.score DESC, c."beneficiaireId"`,
      {
        ...(vis?.params ?? {}),
        cles: sources.map((x) => x.cle),
        noms: sources.map((x) => x.nom),
        prenoms: sources.map((x) => x.prenom),
        naissances: sources.map((x) => x.dateNaissance),
        limit,
      },
    );
    const rows = (await (m ?? this.db).query(sql, values)) as { cle: string; beneficiaireId: string; score: string; correspondances: CritereRecherche[] }[];
    return rows.map((r) => ({ cle: r.cle, beneficiaireId: r.beneficiaireId, score: Number(r.score), correspondances: r.correspondances }));
  }

  /** The parcours of these people that `vis` lets through, most recent first. */
  parcoursVisibles(beneficiaireIds: readonly string[], vis: Visibilite): Promise<ParcoursRow[]> {
    return this.db
      .getRepository(Parcours)
      .createQueryBuilder('p')
      .where('p.beneficiaire_id = ANY(:ids)', { ids: [...beneficiaireIds] })
      .andWhere(vis.sql, vis.params)
      .orderBy('p.date_orientation', 'DESC')
      .addOrderBy('p.cree_le', 'DESC')
      .getMany();
  }

  /** Every parcours of these people (whoever may see them), most recent first. */
  async parcoursConnus(beneficiaireIds: readonly string[], m?: EntityManager): Promise<ParcoursConnu[]> {
    if (beneficiaireIds.length === 0) return [];
    return (await (m ?? this.db).query(
      `SELECT id AS "parcoursId", beneficiaire_id AS "beneficiaireId", departement, statut, canal_orientation AS "canalOrientation",
              to_char(date_orientation, 'YYYY-MM-DD') AS "dateOrientation", to_char(date_sortie, 'YYYY-MM-DD') AS "dateFin"
       FROM parcours WHERE beneficiaire_id = ANY($1) ORDER BY date_orientation DESC, cree_le DESC`,
      [[...beneficiaireIds]],
    )) as ParcoursConnu[];
  }

  /** The merges into these records, oldest first. */
  async fusions(conserveIds: readonly string[]): Promise<FusionRow[]> {
    return (await this.db.query(
      `SELECT id, conserve_id AS "conserveId", absorbe_id AS "absorbeId", identite_absorbee AS "identiteAbsorbee", champs_completes AS "champsCompletes",
              parcours_rattaches AS "parcoursRattaches", motif, auteur, fusionne_le AS "fusionneLe"
       FROM fusion_beneficiaire WHERE conserve_id = ANY($1) ORDER BY fusionne_le, id`,
      [[...conserveIds]],
    )) as FusionRow[];
  }

  /** The record this one was merged into, or null. */
  async fusionneDansQui(id: string, m?: EntityManager): Promise<string | null> {
    const [row] = (await (m ?? this.db).query('SELECT fusionne_dans FROM beneficiaire WHERE id = $1', [id])) as { fusionne_dans: string | null }[];
    return row?.fusionne_dans ?? null;
  }

  /** Locks both records for a merge and says, for each, into which record it was merged (or null). */
  async fusionneDans(m: EntityManager, ids: readonly string[]): Promise<Map<string, string | null>> {
    const rows = (await m.query('SELECT id, fusionne_dans FROM beneficiaire WHERE id = ANY($1) FOR UPDATE', [[...ids]])) as { id: string; fusionne_dans: string | null }[];
    return new Map(rows.map((r) => [r.id, r.fusionne_dans]));
  }

  /**
   * Moves the absorbed record's parcours, fiches and rejoignants to the kept one, fills the kept
   * record's empty fields from the absorbed one, marks the absorbed one, and journals the merge,
   * in the caller's transaction. Returns what moved.
   */
  async fusionner(m: EntityManager, conserveId: string, absorbeId: string, journal: { motif: string; auteur: string; auteurStructure: string | null }): Promise<{ fusionId: string; parcours: string[]; champsCompletes: string[] }> {
    const [absorbe] = (await m.query(
      `SELECT nom, prenom, to_char(date_naissance, 'YYYY-MM-DD') AS "dateNaissance", sexe, pays_naissance AS "paysNaissance", protection,
              to_char(date_obtention_protection, 'YYYY-MM-DD') AS "dateObtentionProtection", rejoignant, lien_rejoignant AS "lienRejoignant",
              bpi_beneficiaire_id AS "bpiBeneficiaireId", commune_insee AS "communeInsee", commune_nom AS "communeNom", telephone, email
       FROM beneficiaire WHERE id = $1`,
      [absorbeId],
    )) as Record<string, unknown>[];
    const [conserve] = (await m.query('SELECT * FROM beneficiaire WHERE id = $1', [conserveId])) as Record<string, unknown>[];
    const completables: [string, string[]][] = [
      ['paysNaissance', ['pays_naissance']],
      ['protection', ['protection', 'date_obtention_protection']],
      ['communeResidence', ['commune_insee', 'commune_nom']],
      ['telephone', ['telephone']],
      ['email', ['email']],
    ];
    const champsCompletes: string[] = [];
    for (const [champ, colonnes] of completables) {
      if (conserve![colonnes[0]!] == null && colonnes.some((c) => absorbe![camel(c)] != null)) {
        champsCompletes.push(champ);
        await m.query(`UPDATE beneficiaire SET ${colonnes.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [conserveId, ...colonnes.map((c) => absorbe![camel(c)])]);
      }
    }
    const parcours = ((await m.query('UPDATE parcours SET beneficiaire_id = $1, modifie_le = now() WHERE beneficiaire_id = $2 RETURNING id', [conserveId, absorbeId])) as [{ id: string }[], number])[0].map((r) => r.id);
    const fiches = ((await m.query('UPDATE fiche_liaison SET beneficiaire_id = $1 WHERE beneficiaire_id = $2 RETURNING id', [conserveId, absorbeId])) as [{ id: string }[], number])[0].map((r) => r.id);
    const rejoignants = ((await m.query('UPDATE beneficiaire SET bpi_beneficiaire_id = $1 WHERE bpi_beneficiaire_id = $2 RETURNING id', [conserveId, absorbeId])) as [{ id: string }[], number])[0].map((r) => r.id);
    await m.query('UPDATE beneficiaire SET fusionne_dans = $1 WHERE id = $2', [conserveId, absorbeId]);
    const [row] = (await m.query(
      `INSERT INTO fusion_beneficiaire (conserve_id, absorbe_id, identite_absorbee, champs_completes, parcours_rattaches, fiches_rattachees, rejoignants_rattaches, motif, auteur, auteur_structure)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [conserveId, absorbeId, JSON.stringify(absorbe), champsCompletes, parcours, fiches, rejoignants, journal.motif, journal.auteur, journal.auteurStructure],
    )) as { id: string }[];
    return { fusionId: row!.id, parcours, champsCompletes };
  }
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

export interface FusionRow {
  id: string;
  conserveId: string;
  absorbeId: string;
  identiteAbsorbee: Record<string, unknown>;
  champsCompletes: string[];
  parcoursRattaches: string[];
  motif: string;
  auteur: string;
  fusionneLe: Date;
}
