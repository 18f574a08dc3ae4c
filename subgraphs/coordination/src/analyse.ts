import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { badUserInput, parseId, requireDepartement, requireRole, today } from '@agir/common';
import type { DataSource } from 'typeorm';
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

const AGE = `date_part('year', age(p.date_orientation, b.date_naissance))`;
const TRANCHE = `CASE WHEN b.date_naissance IS NULL OR ${AGE} < 16 THEN NULL
  WHEN ${AGE} <= 17 THEN 'AGE_16_17' WHEN ${AGE} <= 25 THEN 'AGE_18_25' WHEN ${AGE} <= 35 THEN 'AGE_26_35'
  WHEN ${AGE} <= 45 THEN 'AGE_36_45' WHEN ${AGE} <= 55 THEN 'AGE_46_55' ELSE 'AGE_56_PLUS' END`;
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
  sexe: ResolversTypes['Sexe'];
  pays_naissance: string | null;
  duree: number | null;
  motif_fin: ResolversTypes['MotifFinAnalyse'] | null;
  motif_exclusion: ResolversTypes['MotifExclusion'] | null;
}

/** The SQL of the analysts' rows: one statement per page (parcours joined to its identity), one for the count. */
export class AnalyseStore {
  constructor(private readonly db: DataSource) {}

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

  async count(f: AnalyseFiltreValide): Promise<number> {
    const params: unknown[] = [];
    const [row] = (await this.db.query(`SELECT count(*)::int AS n FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id WHERE ${this.where(f, params)}`, params)) as { n: number }[];
    return row!.n;
  }

  /** Most recent orientation first (the index on (departement, date_orientation DESC, id DESC)); `limit + 1` rows. */
  page(f: AnalyseFiltreValide, limit: number, after: [string, string] | null, aujourdhui: string): Promise<LigneAnalyse[]> {
    const params: unknown[] = [aujourdhui];
    let where = this.where(f, params);
    if (after) where += ` AND (p.date_orientation, p.id) < ($${params.push(after[0])}::date, $${params.push(after[1])}::uuid)`;
    params.push(limit + 1);
    return this.db.query(
      `SELECT p.id, to_char(p.date_orientation, 'YYYY-MM-DD') AS date_orientation, p.departement, p.site_id, p.statut, p.canal_orientation,
              to_char(p.date_orientation, 'YYYY-MM') AS mois_orientation, ${TRANCHE} AS tranche_age, b.sexe, b.pays_naissance,
              CASE WHEN p.date_contrat IS NULL THEN NULL ELSE (coalesce(p.date_sortie, $1::date) - p.date_contrat) END AS duree,
              ${MOTIF_FIN} AS motif_fin, p.motif_exclusion
       FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id
       WHERE ${where}
       ORDER BY p.date_orientation DESC, p.id DESC
       LIMIT $${params.length}`,
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
      const store = new AnalyseStore(ctx.dataSource);
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
