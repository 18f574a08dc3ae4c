import { badUserInput, parsePhoneNumber } from '@agir/common';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { GraphQLError } from 'graphql';
import { CountryCodeResolver, EmailAddressResolver } from 'graphql-scalars';
import { autoriser } from './access';
import type { Resolvers, ResolversTypes } from './generated/resolvers-types';
import type { CoordinationContext } from './loaders';
import { numeroDossierOfiiArg, orienterOfii } from './mutations';

/**
 * The OFII's batch of orientations (weekly or monthly exchange): a CSV file whose rows are
 * validated one by one and imported through the same code path as `orienterParOfii`, each in its
 * own transaction. The header is checked first, whole: a file whose columns are not exactly the
 * documented ones is refused without reading any row.
 */

/** At most this many data rows per batch (the gateway also caps a request body at 1 MB). */
export const LIGNES_MAX = 2000;

/** The documented columns, and whether a value is required. */
export const COLONNES_OFII = {
  numero_dossier_ofii: true,
  nom: true,
  prenom: true,
  date_naissance: true,
  sexe: true,
  pays_naissance: false,
  protection: false,
  date_obtention_protection: false,
  date_signature_cir: true,
  commune_residence_insee: false,
  commune_residence_nom: false,
  telephone: false,
  email: false,
  site_id: true,
  date_convocation: true,
  heure_convocation: true,
  contenu_convocation: true,
  domicilie: false,
  reside: false,
  logement_durable: false,
  emploi_durable: false,
  volontaire: false,
} as const;

type Colonne = keyof typeof COLONNES_OFII;
type Ligne = Record<Colonne, string>;

/** The `input.*` field an orientation error names, as the file's column. */
const COLONNE_DU_CHAMP: Record<string, Colonne> = {
  'input.numeroDossierOfii': 'numero_dossier_ofii',
  'input.dateSignatureCir': 'date_signature_cir',
  'input.beneficiaire.nom': 'nom',
  'input.beneficiaire.prenom': 'prenom',
  'input.beneficiaire.dateNaissance': 'date_naissance',
  'input.beneficiaire.dateObtentionProtection': 'date_obtention_protection',
  'input.beneficiaire.communeResidence.codeInsee': 'commune_residence_insee',
  'input.beneficiaire.communeResidence.nom': 'commune_residence_nom',
  'input.convocation.siteId': 'site_id',
  'input.convocation.date': 'date_convocation',
  'input.convocation.heure': 'heure_convocation',
  'input.convocation.contenu': 'contenu_convocation',
};

/** The column behind each eligibility criterion a row can fail. */
const COLONNE_DU_CRITERE: Record<string, Colonne> = {
  STATUT_PROTECTION: 'protection',
  DATE_PROTECTION: 'date_obtention_protection',
  AGE: 'date_naissance',
  CIR_SIGNE: 'date_signature_cir',
  DOMICILIATION: 'domicilie',
  RESIDENCE_HABITUELLE: 'reside',
  SANS_EMPLOI_OU_LOGEMENT_DURABLE: 'logement_durable',
  VOLONTARIAT: 'volontaire',
};

interface Erreur {
  ligne: number;
  colonne: string | null;
  raison: string;
}

interface LigneImportee {
  ligne: number;
  numeroDossierOfii: string;
  parcoursId: string;
  statut: 'IMPORTEE' | 'DEJA_IMPORTEE';
}

/** Parses the whole file (a malformed one is refused whole) into its header and numbered rows. */
function lireCsv(csv: string): { entete: string[]; lignes: { ligne: number; valeurs: string[] }[] } {
  const premiere = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = premiere.includes(';') && !premiere.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      throw badUserInput(`Le fichier n'est pas un CSV lisible (${error.message}) : rien n'a été importé.`, 'csv', { ligne: (error as CsvError & { lines?: number }).lines ?? null });
    }
    throw error;
  }
  const [entete, ...lignes] = records;
  if (!entete) throw badUserInput("Le fichier est vide : la première ligne doit être l'en-tête des colonnes.", 'csv', { colonnesManquantes: Object.keys(COLONNES_OFII) });
  return { entete: entete.record, lignes: lignes.map((r) => ({ ligne: r.info.lines, valeurs: r.record })) };
}

/** The header must carry exactly the documented columns (any order), each once. */
function verifierEntete(entete: string[]): void {
  const attendues = Object.keys(COLONNES_OFII);
  const vues = new Set<string>();
  const enDouble = new Set<string>();
  for (const c of entete) (vues.has(c) ? enDouble : vues).add(c);
  const manquantes = attendues.filter((c) => !vues.has(c));
  const inconnues = [...vues].filter((c) => !(c in COLONNES_OFII));
  if (manquantes.length + inconnues.length + enDouble.size === 0) return;
  const problemes = [
    manquantes.length ? `colonnes manquantes : ${manquantes.join(', ')}` : null,
    inconnues.length ? `colonnes inconnues : ${inconnues.join(', ')}` : null,
    enDouble.size ? `colonnes en double : ${[...enDouble].join(', ')}` : null,
  ].filter(Boolean);
  throw badUserInput(`L'en-tête du fichier est invalide (${problemes.join(' ; ')}) : rien n'a été importé. Colonnes attendues : ${attendues.join(', ')}.`, 'csv', {
    colonnesManquantes: manquantes,
    colonnesInconnues: inconnues,
    colonnesEnDouble: [...enDouble],
  });
}

const OUI = new Set(['oui', 'o', 'true', 'vrai', '1']);
const NON = new Set(['non', 'n', 'false', 'faux', '0']);

/**
 * One row as an `OrientationOfiiInput`, checking what GraphQL would check for the API (required
 * values, enums, booleans, scalars); the rest is `orienterOfii`'s. Every problem found is listed.
 */
function orientationDepuisLigne(l: Ligne, ligne: number, erreurs: Erreur[]): ResolversTypes['OrientationOfiiInput'] | null {
  const avant = erreurs.length;
  const erreur = (colonne: Colonne, raison: string) => erreurs.push({ ligne, colonne, raison });
  for (const [c, requis] of Object.entries(COLONNES_OFII)) {
    if (requis && l[c as Colonne] === '') erreur(c as Colonne, 'Valeur requise, la cellule est vide.');
  }
  const optionnel = (c: Colonne) => (l[c] === '' ? null : l[c]);
  const choix = <T extends string>(c: Colonne, valeurs: readonly T[]): T | null => {
    const v = optionnel(c)?.toUpperCase() ?? null;
    if (v != null && !valeurs.includes(v as T)) erreur(c, `Valeur « ${l[c]} » inconnue : attendu ${valeurs.join(' ou ')}.`);
    return v as T | null;
  };
  const booleen = (c: Colonne): boolean | null => {
    const v = optionnel(c)?.toLowerCase() ?? null;
    if (v == null) return null;
    if (OUI.has(v)) return true;
    if (NON.has(v)) return false;
    erreur(c, `Valeur « ${l[c]} » non reconnue : attendu oui ou non (ou vide si non renseigné).`);
    return null;
  };
  const scalaire = (c: Colonne, parse: (v: unknown) => unknown, attendu: string): string | null => {
    const v = optionnel(c);
    if (v == null) return null;
    try {
      return String(parse(v));
    } catch {
      erreur(c, `Valeur « ${v} » invalide : attendu ${attendu}.`);
      return null;
    }
  };
  const sexe = choix('sexe', ['FEMME', 'HOMME'] as const);
  const protection = choix('protection', ['REFUGIE', 'PROTECTION_SUBSIDIAIRE'] as const);
  const paysNaissance = scalaire('pays_naissance', (v) => CountryCodeResolver.parseValue(v), 'un code pays ISO 3166-1 alpha-2 (ex. AF)');
  const telephone = scalaire('telephone', (v) => parsePhoneNumber(v), 'un numéro au format international (ex. +33612345678)');
  const email = scalaire('email', (v) => EmailAddressResolver.parseValue(v), 'une adresse électronique');
  const insee = optionnel('commune_residence_insee');
  if ((insee == null) !== (optionnel('commune_residence_nom') == null)) {
    erreur(insee == null ? 'commune_residence_insee' : 'commune_residence_nom', 'La commune de résidence se donne par son code INSEE et son nom, les deux ou aucun.');
  }
  const situation = { domicilieDansDepartement: booleen('domicilie'), resideHabituellementDansDepartement: booleen('reside'), logementDurable: booleen('logement_durable'), emploiDurable: booleen('emploi_durable'), volontaire: booleen('volontaire') };
  if (erreurs.length > avant) return null;
  return {
    numeroDossierOfii: l.numero_dossier_ofii,
    dateSignatureCir: l.date_signature_cir,
    beneficiaire: {
      nom: l.nom,
      prenom: l.prenom,
      dateNaissance: l.date_naissance,
      sexe: sexe!,
      paysNaissance,
      protection,
      dateObtentionProtection: optionnel('date_obtention_protection'),
      communeResidence: insee == null ? null : { codeInsee: insee, nom: l.commune_residence_nom },
      telephone,
      email,
    },
    situation,
    convocation: { siteId: l.site_id, date: l.date_convocation, heure: l.heure_convocation, contenu: l.contenu_convocation },
  };
}

/** An orientation's refusal as the row's errors, naming the file's columns rather than the API's fields. */
function erreursDeRefus(error: GraphQLError, ligne: number): Erreur[] {
  const ext = error.extensions as { field?: string; eligibilite?: { criteres: { critere: string; statut: string; raison: string }[] } };
  if (ext.eligibilite) {
    return ext.eligibilite.criteres
      .filter((c) => c.statut === 'NON_REMPLI')
      .map((c) => ({ ligne, colonne: COLONNE_DU_CRITERE[c.critere] ?? null, raison: `Personne non éligible (${c.critere}) : ${c.raison}` }));
  }
  const colonne = ext.field ? (COLONNE_DU_CHAMP[ext.field] ?? null) : null;
  let raison = error.message;
  for (const [champ, c] of Object.entries(COLONNE_DU_CHAMP)) raison = raison.split(`« ${champ} »`).join(`« ${c} »`);
  return [{ ligne, colonne, raison }];
}

export const importOfiiResolvers: Resolvers = {
  Mutation: {
    async importerOrientationsOfii(_parent, { csv }, ctx: CoordinationContext) {
      autoriser(ctx.viewer, 'ORIENTER_OFII');
      const { entete, lignes } = lireCsv(csv);
      verifierEntete(entete);
      if (lignes.length > LIGNES_MAX) {
        throw badUserInput(`Le lot compte ${lignes.length} lignes, au plus ${LIGNES_MAX} par envoi : découpez le fichier. Rien n'a été importé.`, 'csv', { limite: LIGNES_MAX, lignes: lignes.length });
      }
      const erreurs: Erreur[] = [];
      const parcours: LigneImportee[] = [];
      let rejetees = 0;
      for (const { ligne, valeurs } of lignes) {
        if (valeurs.length !== entete.length) {
          erreurs.push({ ligne, colonne: null, raison: `La ligne compte ${valeurs.length} valeurs pour ${entete.length} colonnes dans l'en-tête.` });
          rejetees++;
          continue;
        }
        const l = Object.fromEntries(entete.map((c, i) => [c, valeurs[i]!])) as Ligne;
        const avant = erreurs.length;
        const input = orientationDepuisLigne(l, ligne, erreurs);
        if (input) {
          try {
            const numero = numeroDossierOfiiArg(l.numero_dossier_ofii, 'input.numeroDossierOfii');
            const r = await orienterOfii(ctx, input);
            parcours.push({ ligne, numeroDossierOfii: numero, parcoursId: r.parcoursId, statut: r.dejaImporte ? 'DEJA_IMPORTEE' : 'IMPORTEE' });
          } catch (error) {
            // A refusal of ours (BAD_USER_INPUT, FORBIDDEN) is the row's; anything else (the database) stops the batch.
            // A likely duplicate or an earlier definitive end is the row's too: the OFII answers it with `orienterParOfii(input.doublon)`.
            if (!(error instanceof GraphQLError) || !['BAD_USER_INPUT', 'FORBIDDEN', 'DOUBLON_PROBABLE', 'PARCOURS_ANTERIEUR_DEFINITIF'].includes(String(error.extensions.code))) throw error;
            erreurs.push(...erreursDeRefus(error, ligne));
          }
        }
        if (erreurs.length > avant) rejetees++;
      }
      const dejaImportees = parcours.filter((p) => p.statut === 'DEJA_IMPORTEE').length;
      return { lignes: lignes.length, importees: parcours.length - dejaImportees, dejaImportees, rejetees, erreurs, parcours };
    },
  },
  Parcours: {
    numeroDossierOfii: (p) => p.numeroDossierOfii ?? null,
  },
};
