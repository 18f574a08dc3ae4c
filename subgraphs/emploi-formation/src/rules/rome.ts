import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The ROME referential (Répertoire Opérationnel des Métiers et des Emplois, France Travail): the
 * job codes a professional project, a training or a contract points to. The data are the CSV files
 * under `data/rome/` (see their README for provenance and licence), read once, lazily and
 * synchronously, the first time a function of this module needs them.
 */

/** A ROME job ("fiche métier"): its code and its label. */
export interface MetierRome {
  code: string;
  libelle: string;
}

/** A job title ("appellation") of the referential, attached to one ROME code. */
export interface AppellationRome {
  /** The OGR code of the title (France Travail's identifier of the appellation). */
  codeOgr: string;
  libelle: string;
  codeRome: string;
}

/** One result of `rechercherMetiers`: the job, and those of its titles that matched the text. */
export interface ResultatRechercheMetier {
  code: string;
  libelle: string;
  /** The titles of this job that matched, in the referential's order (empty when only the job label matched). */
  appellations: string[];
}

/** What a ROME code looks like: one upper-case letter then four digits ("K1304"). */
export const FORMAT_CODE_ROME = /^[A-Z][0-9]{4}$/;

/**
 * A ROME code was refused: either it is not shaped like a ROME code (`motif` FORMAT) or it is
 * well-formed but absent from the referential (`motif` REFERENTIEL). The message, in French, says
 * which, and what a ROME code looks like.
 */
export class CodeRomeInconnu extends Error {
  /** The value that was received, as received. */
  readonly valeur: unknown;
  /** FORMAT when the value is not shaped like a ROME code, REFERENTIEL when the referential does not know it. */
  readonly motif: 'FORMAT' | 'REFERENTIEL';

  constructor(code: unknown, motif: 'FORMAT' | 'REFERENTIEL') {
    super(CodeRomeInconnu.composer(code, motif));
    this.name = 'CodeRomeInconnu';
    this.valeur = code;
    this.motif = motif;
  }

  private static composer(code: unknown, motif: 'FORMAT' | 'REFERENTIEL'): string {
    const shape = 'Un code ROME est fait d\'une lettre majuscule suivie de quatre chiffres (par exemple "K1304").';
    if (motif === 'REFERENTIEL') {
      return `Le code ROME "${String(code)}" est bien formé mais n'existe pas dans le référentiel ROME de France Travail (état de septembre 2024). ${shape} Cherchez le métier par son intitulé pour trouver son code.`;
    }
    if (typeof code !== 'string' || code.trim() === '') {
      return `Le code ROME est vide. ${shape}`;
    }
    const trimmed = code.trim();
    if (FORMAT_CODE_ROME.test(trimmed.toUpperCase())) {
      return `Le code ROME "${code}" n'a pas le bon format : la lettre doit être en majuscule ("${trimmed.toUpperCase()}"). ${shape}`;
    }
    return `Le code ROME "${code}" n'a pas le bon format. ${shape}`;
  }
}

interface Referentiel {
  metiers: Map<string, MetierRome>;
  appellations: Map<string, AppellationRome[]>;
  /** Search index: each job with its normalised label and its titles, normalised. */
  index: Array<{ metier: MetierRome; mots: string[]; texte: string; appellations: Array<{ libelle: string; mots: string[]; texte: string }> }>;
}

const DATA_DIR = path.join(__dirname, '..', '..', 'data', 'rome');

let referentiel: Referentiel | undefined;

/**
 * Parses CSV text as RFC 4180 describes it: comma-separated fields, fields optionally enclosed in
 * double quotes (inside which commas, line breaks and doubled quotes `""` are data), records
 * separated by CRLF or LF. A leading byte-order mark is ignored, and so is a final line break. No
 * CSV library is installed in the project, hence this small parser (infrastructure, not a rule).
 * Throws when a quoted field is not closed or when a quote appears inside an unquoted field.
 */
export function parseCsv(text: string): string[][] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  // True right after a closing quote: only a separator or the end of the record may follow.
  let afterQuoted = false;
  while (i < input.length) {
    const c = input[i]!;
    if (c === '"') {
      if (field !== '' || afterQuoted) throw new Error(`CSV: unexpected quote inside a field on line ${line}`);
      const start = line;
      i += 1;
      for (;;) {
        if (i >= input.length) throw new Error(`CSV: quoted field opened on line ${start} is not closed`);
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (q === '\n') line += 1;
        field += q;
        i += 1;
      }
      afterQuoted = true;
      continue;
    }
    if (c === ',') {
      record.push(field);
      field = '';
      afterQuoted = false;
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      afterQuoted = false;
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line += 1;
      continue;
    }
    if (afterQuoted) throw new Error(`CSV: unexpected character after a closing quote on line ${line}`);
    field += c;
    i += 1;
  }
  // The last record, unless the text ended with a line break (or was empty).
  if (field !== '' || afterQuoted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Reads one CSV file of the referential and returns its rows as objects keyed by the header. */
function readTable(file: string, columns: readonly string[]): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(path.join(DATA_DIR, file), 'utf8'));
  if (!header || columns.some((column, i) => header[i] !== column)) {
    throw new Error(`ROME referential: ${file} should start with the header ${columns.join(',')}, found ${header?.join(',') ?? 'nothing'}`);
  }
  return rows.map((row, n) => {
    if (row.length !== columns.length) {
      throw new Error(`ROME referential: ${file} record ${n + 2} has ${row.length} fields, expected ${columns.length}`);
    }
    return Object.fromEntries(columns.map((column, i) => [column, row[i]!]));
  });
}

/**
 * Folds text for searching: Unicode NFD then combining marks removed (é → e), ligatures expanded
 * (œ → oe), lower case, and every run of characters that are not letters or digits (apostrophes,
 * hyphens, slashes, parentheses) turned into one space.
 */
function normaliser(texte: string): string {
  return texte
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function charger(): Referentiel {
  if (referentiel) return referentiel;
  const metiers = new Map<string, MetierRome>();
  for (const row of readTable('rome.csv', ['code_rome', 'libelle_rome'])) {
    const code = row.code_rome!;
    if (!FORMAT_CODE_ROME.test(code)) throw new Error(`ROME referential: rome.csv holds a malformed code "${code}"`);
    metiers.set(code, { code, libelle: row.libelle_rome! });
  }
  const appellations = new Map<string, AppellationRome[]>();
  for (const row of readTable('appellations.csv', ['code_ogr', 'libelle_appellation', 'code_rome'])) {
    const codeRome = row.code_rome!;
    if (!metiers.has(codeRome)) throw new Error(`ROME referential: appellation ${row.code_ogr} points to unknown code "${codeRome}"`);
    const list = appellations.get(codeRome) ?? [];
    list.push({ codeOgr: row.code_ogr!, libelle: row.libelle_appellation!, codeRome });
    appellations.set(codeRome, list);
  }
  const index = [...metiers.values()].map((metier) => {
    const texte = normaliser(metier.libelle);
    return {
      metier,
      texte,
      mots: texte.split(' '),
      appellations: (appellations.get(metier.code) ?? []).map((a) => {
        const t = normaliser(a.libelle);
        return { libelle: a.libelle, texte: t, mots: t.split(' ') };
      }),
    };
  });
  referentiel = { metiers, appellations, index };
  return referentiel;
}

/**
 * The job of a ROME code, or null when the code is malformed or not in the referential (use
 * `validerCodeRome` to know why). Surrounding spaces are ignored; the letter must be upper case.
 */
export function metierRome(code: string): MetierRome | null {
  if (typeof code !== 'string') return null;
  const metier = charger().metiers.get(code.trim());
  return metier ? { ...metier } : null;
}

/**
 * Checks a ROME code and returns it normalised (surrounding spaces removed). Throws
 * `CodeRomeInconnu` when the value is not shaped like a ROME code (one upper-case letter and four
 * digits: a lower-case letter is refused, not corrected, so that what is stored is what was
 * checked) or when it is well-formed but not in the referential.
 */
export function validerCodeRome(code: string): string {
  const normalise = typeof code === 'string' ? code.trim() : '';
  if (!FORMAT_CODE_ROME.test(normalise)) throw new CodeRomeInconnu(code, 'FORMAT');
  if (!charger().metiers.has(normalise)) throw new CodeRomeInconnu(code, 'REFERENTIEL');
  return normalise;
}

/**
 * The job titles of a ROME code, in the order of the referential file. Throws
 * `CodeRomeInconnu` for a malformed or unknown code, so that "no title" is never confused with
 * "wrong code". A known code always has at least one title in the September 2024 referential.
 */
export function appellationsDuCode(code: string): AppellationRome[] {
  const valide = validerCodeRome(code);
  return (charger().appellations.get(valide) ?? []).map((a) => ({ ...a }));
}

/**
 * Searches the jobs whose label or one of whose titles contains every word of `texte`, ignoring
 * accents, case and punctuation ("patissier" finds "Pâtissier / Pâtissière"). A word of the text
 * matches a word of a label when it is its beginning ("pâtiss" finds "pâtisserie"; "ash" does not
 * find "cash"). Results, at most `limite`:
 *   1. jobs whose label or one of whose titles is exactly the text (after folding);
 *   2. then jobs whose label matches;
 *   3. then jobs where only titles match, the job with more matching titles first;
 * ties broken by ROME code. An empty text (after folding) finds nothing.
 */
export function rechercherMetiers(texte: string, limite = 20): ResultatRechercheMetier[] {
  if (!Number.isInteger(limite) || limite < 1) {
    throw new RangeError(`La limite de recherche doit être un entier positif (reçu : ${String(limite)}).`);
  }
  const requete = normaliser(typeof texte === 'string' ? texte : '');
  if (requete === '') return [];
  const termes = requete.split(' ');
  const correspond = (mots: string[]) => termes.every((terme) => mots.some((mot) => mot.startsWith(terme)));

  const trouves: Array<{ rang: number; nombre: number; resultat: ResultatRechercheMetier }> = [];
  for (const entree of charger().index) {
    const libelleCorrespond = correspond(entree.mots);
    const appellations = entree.appellations.filter((a) => correspond(a.mots));
    if (!libelleCorrespond && appellations.length === 0) continue;
    const exact = entree.texte === requete || appellations.some((a) => a.texte === requete);
    trouves.push({
      rang: exact ? 0 : libelleCorrespond ? 1 : 2,
      nombre: appellations.length,
      resultat: { code: entree.metier.code, libelle: entree.metier.libelle, appellations: appellations.map((a) => a.libelle) },
    });
  }
  trouves.sort(
    (a, b) =>
      a.rang - b.rang ||
      (a.rang === 2 ? b.nombre - a.nombre : 0) ||
      (a.resultat.code < b.resultat.code ? -1 : a.resultat.code > b.resultat.code ? 1 : 0),
  );
  return trouves.slice(0, limite).map((t) => t.resultat);
}
