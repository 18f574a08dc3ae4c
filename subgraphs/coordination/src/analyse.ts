import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { badUserInput, parseId, requireDepartement, requireRole, today } from '@agir/common';
import type { DataSource } from 'typeorm';
import { SEUIL_SECRET_STATISTIQUE, secretStatistiqueApplicable } from '@agir/common/src/statistical-secrecy';
import { readPseudonymSecret } from './config';
import type { ResolversTypes, Resolvers } from './generated/resolvers-types';
import { dateArg } from './inputs';
import type { CoordinationContext } from './loaders';
import * as present from './presenters';
import { parseDepartement } from './stores/parcours-store';

/**
 * Analysts' access to parcours: pseudonymised rows only. What leaves here is a stable pseudonym
 * (HMAC-SHA256 of the parcours id under PSEUDONYM_SECRET), the département, the site, codes
 * (statut, canal, sexe, country, end motive) and coarse values (month of orientation, age band,
 * duration in days). No id, no name, no exact date, no free text; even the pagination cursor,
 * which has to carry the last row's (date, id), is encrypted and authenticated with a key derived
 * from the same secret, so that it reveals neither.
 *
 * Under statistical secrecy (an ANALYSTE without COORDINATION or ADMIN), the rows are also
 * k-anonymous on their quasi-identifiers, k = SEUIL_SECRET_STATISTIQUE: see `GENERALISATION`.
 */

export const ANALYSE_MAX_PAGE = 1000;
const ANALYSE_DEFAULT_PAGE = 100;

let secret: string | undefined;
/** Read (and validated) once; `main.ts` already validated it at start through `readConfig`. */
const pseudonymSecret = () => (secret ??= readPseudonymSecret());

/** The pseudonym of a parcours: the same id always gives the same one; not reversible without the key. */
export function pseudonyme(parcoursId: string, key: string = pseudonymSecret()): string {
  return createHmac('sha256', key).update(parcoursId.toLowerCase()).digest('hex');
}

const cursorKey = () => createHash('sha256').update(createHmac('sha256', pseudonymSecret()).update('agir:analyse-parcours:curseur').digest()).digest();

function encodeCursor(key: [string, string]): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(key), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Any UUID (the cursor is authenticated: it can only hold an id this module put there). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodeCursor(cursor: string): [string, string] {
  try {
    const raw = Buffer.from(cursor, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', cursorKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const decoded: unknown = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [date, id] = decoded as unknown[];
      if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && typeof id === 'string' && UUID.test(id)) return [date, id];
    }
  } catch {
    // fall through
  }
  throw badUserInput("Le curseur « after » ne vient pas d'analyseParcours : reprenez pageInfo.endCursor de la page précédente, tel quel.", 'after');
}

type Tranche = ResolversTypes['TrancheAge'];

export interface AnalyseFiltreValide {
  departement: string;
  siteId: string | null;
  statut: string[] | null;
  canal: string[] | null;
  orientationDu: string | null;
  orientationAu: string | null;
  sexe: string | null;
  paysNaissance: string | null;
  trancheAge: Tranche[] | null;
}

/**
 * The SQL of the age band (`TrancheAge`) of a birth date on a day, both SQL expressions: NULL for
 * an unknown birth date or an age under 16. Shared by the analysts' rows and the département profile.
 */
export function trancheAgeSql(jour: string, naissance: string): string {
  return trancheDeAgeSql(`date_part('year', age(${jour}, ${naissance}))`);
}

/**
 * The same band from an age in years already computed (an SQL expression, NULL when unknown),
 * the expression written once (`width_bucket` over the bands' lower bounds): a CASE over the age
 * would evaluate it once per branch, and an age is costly.
 */
export function trancheDeAgeSql(age: string): string {
  return `(ARRAY['AGE_16_17', 'AGE_18_25', 'AGE_26_35', 'AGE_36_45', 'AGE_46_55', 'AGE_56_PLUS'])[width_bucket(${age}, ARRAY[16, 18, 26, 36, 46, 56]::float8[])]`;
}

/** The age band at the orientation, from `p` (parcours) and `b` (beneficiaire). */
const TRANCHE = trancheAgeSql('p.date_orientation', 'b.date_naissance');
const MOTIF_FIN = `CASE WHEN p.statut IN ('SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS') THEN 'SORTIE'
  WHEN p.statut = 'EXCLU' THEN 'EXCLUSION' WHEN p.statut IN ('REFUS_CONTRACTUALISATION', 'ABANDON', 'FIN_DE_DROITS') THEN p.statut END`;

interface LigneAnalyse {
  id: string;
  date_orientation: string;
  departement: string;
  site_id: string;
  statut: ResolversTypes['StatutParcours'];
  canal_orientation: ResolversTypes['CanalOrientation'];
  mois_orientation: string;
  tranche_age: Tranche | null;
  sexe: ResolversTypes['Sexe'] | null;
  pays_naissance: string | null;
  duree: number | null;
  motif_fin: ResolversTypes['MotifFinAnalyse'] | null;
  motif_exclusion: ResolversTypes['MotifExclusion'] | null;
  generalise: boolean;
}

const K = SEUIL_SECRET_STATISTIQUE;

/**
 * k-anonymity of the analysts' rows (k = 5). The quasi-identifiers of a row are its site, month of
 * orientation, age band, sex and country of birth; its class, the parcours of the département that
 * share all five. Within each site and month (every parcours of the département there, whatever
 * the filter):
 *
 * 1. a row whose class holds fewer than k parcours is generalised: no age band, no country;
 * 2. when the generalised rows of that site and month are 1 to k − 1, the smallest other class is
 *    generalised as well, so that a generalised row is never alone, or nearly so, beside complete
 *    ones (it would be found by elimination);
 * 3. the generalised rows keep their sex when each sex among them counts at least k rows, and all
 *    lose it otherwise.
 *
 * So the generalised rows of a site and month are indistinguishable from one another by what they
 * still show, in groups of at least k, unless the site and month hold fewer than k parcours in all
 * (then nothing above can help: site and month stay, as the analysis needs them).
 *
 * Every step is within a site and month, so the classes are counted for the sites and months of
 * the page's candidate rows only: exact, and a page costs the same whatever the département's size.
 * The CTEs below read `candidats` (site_id, mois) and give `finales`: each class of those sites and
 * months (site_id, mois, tranche, sexe, pays; unknown values as ''), `generalise`, `sexe_garde`.
 */
const GENERALISATION = (departement: string) => `
  groupes AS (SELECT DISTINCT site_id, mois FROM candidats),
  classes AS (
    SELECT p.site_id, date_trunc('month', p.date_orientation::timestamp)::date AS mois, coalesce(${TRANCHE}, '') AS tranche, b.sexe,
           coalesce(b.pays_naissance, '') AS pays, count(*)::int AS n
    FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id
    WHERE p.departement = ${departement}
      AND p.date_orientation >= (SELECT min(mois) FROM groupes) AND p.date_orientation < (SELECT max(mois) FROM groupes) + interval '1 month'
      AND (p.site_id, date_trunc('month', p.date_orientation::timestamp)::date) IN (SELECT site_id, mois FROM groupes)
    GROUP BY 1, 2, 3, 4, 5),
  rangs AS (
    SELECT c.*, coalesce(sum(c.n) FILTER (WHERE c.n < ${K}) OVER (PARTITION BY c.site_id, c.mois), 0) AS rares,
           row_number() OVER (PARTITION BY c.site_id, c.mois, c.n < ${K} ORDER BY c.n, c.tranche, c.sexe, c.pays) AS rang
    FROM classes c),
  generalisees AS (
    SELECT r.*, (r.n < ${K} OR (r.rares BETWEEN 1 AND ${K - 1} AND r.rang = 1)) AS generalise FROM rangs r),
  sexes AS (
    SELECT g.*, sum(g.n) FILTER (WHERE g.generalise) OVER (PARTITION BY g.site_id, g.mois, g.sexe) AS generalises_du_sexe FROM generalisees g),
  finales AS (
    SELECT s.site_id, s.mois, s.tranche, s.sexe, s.pays, s.generalise,
           coalesce(min(s.generalises_du_sexe) FILTER (WHERE s.generalise) OVER (PARTITION BY s.site_id, s.mois) >= ${K}, true) AS sexe_garde
    FROM sexes s)`;

/** Whether the filter selects by a quasi-identifier that generalisation may remove (sex, country, age band). */
const filtreQuasiIdentifiant = (f: AnalyseFiltreValide) => f.sexe !== null || f.paysNaissance !== null || f.trancheAge !== null;

/** A candidate row `c` and its class `f` (the unknown age band and country compare as ''). */
const CLASSE_DU_CANDIDAT = `f.site_id = c.site_id AND f.mois = c.mois AND f.tranche = coalesce(c.tranche_age, '') AND f.sexe = c.sexe
  AND f.pays = coalesce(c.pays_naissance, '')`;

/** The columns of a row, from `p` (parcours) and `b` (beneficiaire); `$1` is today. */
const COLONNES = `p.id, to_char(p.date_orientation, 'YYYY-MM-DD') AS date_orientation, p.date_orientation AS jour, p.departement, p.site_id, p.statut,
  p.canal_orientation, to_char(p.date_orientation, 'YYYY-MM') AS mois_orientation, ${TRANCHE} AS tranche_age, b.sexe, b.pays_naissance,
  CASE WHEN p.date_contrat IS NULL THEN NULL ELSE (coalesce(p.date_sortie, $1::date) - p.date_contrat) END AS duree,
  ${MOTIF_FIN} AS motif_fin, p.motif_exclusion`;

/**
 * The SQL of the analysts' rows: one statement per page (parcours joined to its identity, and
 * under secrecy the generalisation of the page's sites and months), one for the count.
 */
export class AnalyseStore {
  constructor(
    private readonly db: DataSource,
    /** Rows k-anonymous (`GENERALISATION`), and filters by sex, country and age band on what they show. */
    private readonly secret: boolean,
  ) {}

  private where(f: AnalyseFiltreValide, params: unknown[]): string {
    const p = (value: unknown) => `$${params.push(value)}`;
    const conditions = [`p.departement = ${p(f.departement)}`];
    if (f.siteId) conditions.push(`p.site_id = ${p(f.siteId)}`);
    if (f.statut) conditions.push(`p.statut = ANY(${p(f.statut)})`);
    if (f.canal) conditions.push(`p.canal_orientation = ANY(${p(f.canal)})`);
    if (f.orientationDu) conditions.push(`p.date_orientation >= ${p(f.orientationDu)}::date`);
    if (f.orientationAu) conditions.push(`p.date_orientation <= ${p(f.orientationAu)}::date`);
    if (f.sexe) conditions.push(`b.sexe = ${p(f.sexe)}`);
    if (f.paysNaissance) conditions.push(`b.pays_naissance = ${p(f.paysNaissance)}`);
    if (f.trancheAge) conditions.push(`(${TRANCHE}) = ANY(${p(f.trancheAge)})`);
    return conditions.join(' AND ');
  }

  /**
   * A filter by sex, country or age band matches a generalised row on what it shows only: the
   * rows the true values selected (`where`) lose those generalised on a filtered attribute.
   */
  private filtreGeneralise(f: AnalyseFiltreValide): string {
    const conditions = ['true'];
    if (f.paysNaissance || f.trancheAge) conditions.push('NOT f.generalise');
    if (f.sexe) conditions.push('(NOT f.generalise OR f.sexe_garde)');
    return conditions.join(' AND ');
  }

  /**
   * The candidate rows (true values, in order) and their generalisation. Without a filter by sex,
   * country or age band every candidate is on the page, so `limite` bounds them and the classes
   * are counted for the page's sites and months; with one, a candidate may be dropped, so all of
   * them (and their sites and months) are read, then the page cut after the drop.
   */
  private generalisees(f: AnalyseFiltreValide, params: unknown[], options: { apres?: [string, string] | null; limite?: number }): string {
    let where = this.where(f, params);
    if (options.apres) where += ` AND (p.date_orientation, p.id) < ($${params.push(options.apres[0])}::date, $${params.push(options.apres[1])}::uuid)`;
    const limite = options.limite !== undefined && !filtreQuasiIdentifiant(f) ? ` LIMIT $${params.push(options.limite)}` : '';
    return `WITH candidats AS (
        SELECT ${COLONNES}, date_trunc('month', p.date_orientation::timestamp)::date AS mois
        FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id
        WHERE ${where}
        ORDER BY p.date_orientation DESC, p.id DESC${limite}),
      ${GENERALISATION(`$${params.push(f.departement)}`)}`;
  }

  async count(f: AnalyseFiltreValide): Promise<number> {
    // Generalising rows changes the count only through a filter by sex, country or age band. The
    // candidates then carry every column, the duration's `$1` (today) included.
    const generalisation = this.secret && filtreQuasiIdentifiant(f);
    const params: unknown[] = generalisation ? [today()] : [];
    const sql = generalisation
      ? `${this.generalisees(f, params, {})}
         SELECT count(*)::int AS n FROM candidats c JOIN finales f ON ${CLASSE_DU_CANDIDAT} WHERE ${this.filtreGeneralise(f)}`
      : `SELECT count(*)::int AS n FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id WHERE ${this.where(f, params)}`;
    const [row] = (await this.db.query(sql, params)) as { n: number }[];
    return row!.n;
  }

  /** Most recent orientation first (the index on (departement, date_orientation DESC, id DESC)); `limit + 1` rows. */
  page(f: AnalyseFiltreValide, limit: number, after: [string, string] | null, aujourdhui: string): Promise<LigneAnalyse[]> {
    const params: unknown[] = [aujourdhui];
    if (this.secret) {
      const avec = this.generalisees(f, params, { apres: after, limite: limit + 1 });
      return this.db.query(
        `${avec}
         SELECT c.id, c.date_orientation, c.departement, c.site_id, c.statut, c.canal_orientation, c.mois_orientation,
                CASE WHEN f.generalise THEN NULL ELSE c.tranche_age END AS tranche_age,
                CASE WHEN f.generalise AND NOT f.sexe_garde THEN NULL ELSE c.sexe END AS sexe,
                CASE WHEN f.generalise THEN NULL ELSE c.pays_naissance END AS pays_naissance,
                c.duree, c.motif_fin, c.motif_exclusion, f.generalise
         FROM candidats c JOIN finales f ON ${CLASSE_DU_CANDIDAT}
         WHERE ${this.filtreGeneralise(f)}
         ORDER BY c.jour DESC, c.id DESC
         LIMIT $${params.push(limit + 1)}`,
        params,
      ) as Promise<LigneAnalyse[]>;
    }
    let where = this.where(f, params);
    if (after) where += ` AND (p.date_orientation, p.id) < ($${params.push(after[0])}::date, $${params.push(after[1])}::uuid)`;
    return this.db.query(
      `SELECT ${COLONNES}, false AS generalise
       FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id
       WHERE ${where}
       ORDER BY p.date_orientation DESC, p.id DESC
       LIMIT $${params.push(limit + 1)}`,
      params,
    ) as Promise<LigneAnalyse[]>;
  }
}

function listeNonVide<T>(value: readonly T[] | null | undefined, field: string): T[] | null {
  if (value == null) return null;
  if (value.length === 0) throw badUserInput(`« ${field} » ne peut pas être une liste vide : omettez-le pour toutes les valeurs.`, field);
  return [...value];
}

/** Validates the filter (BAD_USER_INPUT naming the field) and the caller's scope (FORBIDDEN). */
async function validerFiltre(ctx: CoordinationContext, filtre: ResolversTypes['AnalyseFiltre']): Promise<AnalyseFiltreValide> {
  const departement = parseDepartement(filtre.departement, 'filtre.departement');
  requireDepartement(ctx.viewer, departement);
  let siteId: string | null = null;
  if (filtre.siteId != null) {
    siteId = parseId(filtre.siteId, 'filtre.siteId');
    const site = await ctx.loaders.site.load(siteId);
    if (!site || site.departement !== departement) {
      throw badUserInput(`Aucun site du département ${departement} ne porte l'identifiant « ${filtre.siteId} » : prenez-en un dans la requête sites(departement: "${departement}").`, 'filtre.siteId');
    }
  }
  const orientationDu = filtre.orientationDu == null ? null : dateArg(filtre.orientationDu, 'filtre.orientationDu', { future: true });
  const orientationAu = filtre.orientationAu == null ? null : dateArg(filtre.orientationAu, 'filtre.orientationAu', { future: true });
  if (orientationDu && orientationAu && orientationDu > orientationAu) {
    throw badUserInput(`« filtre.orientationDu » (${orientationDu}) est après « filtre.orientationAu » (${orientationAu}).`, 'filtre.orientationDu');
  }
  return {
    departement,
    siteId,
    statut: listeNonVide(filtre.statut, 'filtre.statut'),
    canal: listeNonVide(filtre.canal, 'filtre.canal'),
    orientationDu,
    orientationAu,
    sexe: filtre.sexe ?? null,
    paysNaissance: filtre.paysNaissance ?? null,
    trancheAge: listeNonVide(filtre.trancheAge, 'filtre.trancheAge'),
  };
}

const TOTAL = Symbol('totalCount');
type ConnexionAnalyse = ResolversTypes['AnalyseParcoursConnection'] & { [TOTAL]?: () => Promise<number> };

export const analyseResolvers: Resolvers = {
  Query: {
    async analyseParcours(_parent, args, ctx) {
      requireRole(ctx.viewer, ['ANALYSTE', 'COORDINATION', 'ADMIN'], "L'analyse pseudonymisée des parcours");
      const limit = args.first ?? ANALYSE_DEFAULT_PAGE;
      if (!Number.isInteger(limit) || limit < 0 || limit > ANALYSE_MAX_PAGE) {
        throw badUserInput(`« first » doit être un entier entre 0 et ${ANALYSE_MAX_PAGE}, reçu ${String(args.first)}.`, 'first');
      }
      const filtre = await validerFiltre(ctx, args.filtre);
      const after = args.after == null ? null : decodeCursor(args.after);
      const store = new AnalyseStore(ctx.dataSource, secretStatistiqueApplicable(ctx.viewer.roles));
      const rows = await store.page(filtre, limit, after, today());
      const page = rows.slice(0, limit);
      const edges = await Promise.all(
        page.map(async (r) => {
          // Pseudonymised data is still personal data: each row read is in the audit trail.
          ctx.audit.recordRead({ parcoursId: r.id, field: 'analyseParcours', allowed: true, via: 'PSEUDONYMISE' });
          return {
            cursor: encodeCursor([r.date_orientation, r.id]),
            node: {
              pseudonyme: pseudonyme(r.id),
              departement: r.departement,
              site: await present.site(ctx, r.site_id),
              statut: r.statut,
              canalOrientation: r.canal_orientation,
              moisOrientation: r.mois_orientation,
              trancheAge: r.tranche_age,
              sexe: r.sexe,
              paysNaissance: r.pays_naissance,
              dureeAccompagnementJours: r.duree,
              motifFin: r.motif_fin,
              motifExclusion: r.motif_exclusion,
              generalise: r.generalise,
            },
          };
        }),
      );
      const connexion: ConnexionAnalyse = {
        totalCount: 0,
        pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
        edges,
        // Counted only when asked for: the CSV export pages without it.
        [TOTAL]: () => store.count(filtre),
      };
      return connexion;
    },
  },
  AnalyseParcoursConnection: {
    totalCount: (c) => (c as ConnexionAnalyse)[TOTAL]?.() ?? c.totalCount,
  },
};
