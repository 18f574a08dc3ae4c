import { createHash } from 'node:crypto';
import { compareDates, type EvenementDomaine, type IsoDate, type JournalEntry } from '@agir/common';
import type {
  AccompagnementExterneRow,
  CandidatureRow,
  ContratTravailRow,
  EtapeProjetRow,
  EvaluationLangueRow,
  ExperienceRow,
  FormationRow,
  InscriptionFranceTravailRow,
  CertificationLangueRow,
  DiagnosticRow,
  ProjetRow,
} from './entities';
import type {
  AccompagnementExterne,
  Candidature,
  ContratTravail,
  EtapeProjet,
  ExperienceProfessionnelle,
  Formation,
  MetierRome,
} from './generated/resolvers-types';
import { metierRome } from './rules';

/**
 * Rows as the API shows them: ROME codes become jobs with their label, numbers become numbers.
 * (The generated resolver types have no mappers for these types, so resolvers return API shapes.)
 */

/**
 * An object of a parcours as the API shows it, with the parcours it belongs to: the field rules
 * (field-rules.ts) decide each of its fields for that parcours.
 */
export type DuParcours<T> = T & { parcoursId: string };

/** The job of a stored ROME code (validated when written; a code the referential later drops keeps its code as label). */
export function metier(code: string): MetierRome {
  return metierRome(code) ?? { code, libelle: code };
}

export const experienceVue = (r: ExperienceRow): DuParcours<ExperienceProfessionnelle> => ({ id: r.id, parcoursId: r.parcoursId, metier: metier(r.codeRome), pays: r.pays, dureeMois: r.dureeMois });

export const etapeVue = (r: EtapeProjetRow): DuParcours<EtapeProjet> => ({ id: r.id, parcoursId: r.parcoursId, type: r.type, metier: r.codeRome ? metier(r.codeRome) : null, dateDebut: r.dateDebut, dateFin: r.dateFin });

export const accompagnementVue = (r: AccompagnementExterneRow): DuParcours<AccompagnementExterne> => ({ id: r.id, parcoursId: r.parcoursId, type: r.type, structure: r.structure, dateDebut: r.dateDebut, dateFin: r.dateFin });

export const candidatureVue = (r: CandidatureRow): DuParcours<Candidature> => ({
  id: r.id,
  parcoursId: r.parcoursId,
  employeur: r.employeur,
  metier: metier(r.codeRome),
  dateCandidature: r.dateCandidature,
  canal: r.canal,
  resultat: r.resultat,
});

export const formationVue = (r: FormationRow): DuParcours<Formation> => ({
  id: r.id,
  parcoursId: r.parcoursId,
  type: r.type,
  dispositifLinguistique: r.dispositifLinguistique,
  intitule: r.intitule,
  organisme: r.organisme,
  metier: r.codeRome ? metier(r.codeRome) : null,
  diplomante: r.diplomante,
  dateDebut: r.dateDebut,
  dateFin: r.dateFin,
  heuresPrevues: r.heuresPrevues,
  heuresRealisees: r.heuresRealisees,
  resultat: r.resultat,
  stabilisante: r.stabilisant,
});

export const contratVue = (r: ContratTravailRow): DuParcours<ContratTravail> => ({
  id: r.id,
  parcoursId: r.parcoursId,
  type: r.type,
  employeur: r.employeur,
  metier: metier(r.codeRome),
  dateDebut: r.dateDebut,
  dateFin: r.dateFin,
  termeImprecis: r.termeImprecis,
  tempsTravail: r.tempsTravail,
  heuresHebdomadaires: r.heuresHebdomadaires,
  stabilisant: r.stabilisant,
});

/**
 * A stable id for a computed SANS_ACTIVITE period, which has no row: a name-based UUID (version 5
 * layout, SHA-1) of the parcours and the period's first day, so that the same period keeps its id.
 */
export function idSansActivite(parcoursId: string, dateDebut: IsoDate): string {
  const h = createHash('sha1').update(`${parcoursId}/SANS_ACTIVITE/${dateDebut}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

const LIBELLE_CONTRAT: Record<ContratTravailRow['type'], string> = {
  CDI: 'CDI',
  CDD: 'CDD',
  INTERIM: 'mission d’intérim',
  APPRENTISSAGE: 'contrat d’apprentissage',
  PROFESSIONNALISATION: 'contrat de professionnalisation',
  IAE_ACI: 'contrat en atelier et chantier d’insertion',
  IAE_EI: 'contrat en entreprise d’insertion',
  IAE_ETTI: 'mission en entreprise de travail temporaire d’insertion',
  IAE_GEIQ: 'contrat en alternance avec un GEIQ',
  SERVICE_CIVIQUE: 'engagement de service civique',
  AUTRE: 'contrat',
};

const LIBELLE_FORMATION: Record<FormationRow['type'], string> = {
  LINGUISTIQUE: 'formation linguistique',
  PRE_QUALIFIANTE: 'formation pré-qualifiante',
  QUALIFIANTE: 'formation qualifiante',
  CERTIFIANTE: 'formation certifiante',
  UNIVERSITAIRE: 'formation universitaire',
};

const LIBELLE_DISPOSITIF: Record<NonNullable<FormationRow['dispositifLinguistique']>, string> = {
  CIR: 'parcours linguistique du CIR',
  FLE: 'FLE',
  FRANCAIS_VISEE_PROFESSIONNELLE: 'français à visée professionnelle',
  OEPRE: 'OEPRE',
  AUTRE: 'autre dispositif',
};

const LIBELLE_CANAL: Record<CandidatureRow['canal'], string> = {
  EMPLOIS_DE_L_INCLUSION: 'Les emplois de l’inclusion',
  FRANCE_TRAVAIL: 'France Travail',
  CANDIDATURE_SPONTANEE: 'candidature spontanée',
  RESEAU: 'le réseau',
  AGENCE_INTERIM: 'une agence d’intérim',
  AUTRE: 'un autre canal',
};

const LIBELLE_ETAPE: Record<EtapeProjetRow['type'], string> = {
  PMSMP: 'PMSMP',
  IMMERSION: 'Immersion',
  ENQUETE_METIER: 'Enquête métier',
  VISITE_ENTREPRISE: 'Visite d’entreprise',
  TESTS_ENTREE_FORMATION: 'Tests d’entrée en formation',
  AUTRE: 'Étape du projet',
};

const majuscule = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface FaitsDatables {
  diagnostic: DiagnosticRow | null;
  inscription: InscriptionFranceTravailRow | null;
  evaluations: readonly EvaluationLangueRow[];
  certifications: readonly CertificationLangueRow[];
  etapes: readonly EtapeProjetRow[];
  candidatures: readonly CandidatureRow[];
  formations: readonly FormationRow[];
  contrats: readonly ContratTravailRow[];
  projet?: ProjetRow | null;
  /** The change journal of the parcours, for each version of the professional project. */
  journal?: readonly JournalEntry[];
  accompagnements?: readonly AccompagnementExterneRow[];
}

const LIBELLE_ETAT_PROJET: Record<ProjetRow['etat'], string> = {
  A_CONSTRUIRE: 'à construire',
  EN_VALIDATION: 'en validation',
  VALIDE: 'validé',
  A_RETRAVAILLER: 'à retravailler',
};

const LIBELLE_ACCOMPAGNEMENT: Record<AccompagnementExterneRow['type'], string> = {
  MISSION_LOCALE: 'la Mission locale',
  PLIE: 'le PLIE',
  REFERENT_RSA: 'le référent RSA',
  SIAE: 'une structure d’insertion par l’activité économique',
  CAP_EMPLOI: 'Cap emploi',
  AUTRE: 'un partenaire',
};

const LIBELLE_RESULTAT: Partial<Record<CandidatureRow['resultat'], string>> = {
  ENTRETIEN: 'entretien obtenu',
  ACCEPTEE: 'candidature retenue',
  REFUSEE: 'candidature non retenue',
  ABANDONNEE: 'candidature abandonnée',
};

/**
 * Each version of the professional project, from the change journal (every write of the project
 * row, with the values it set), the current one last; without a journal, the current one only.
 */
function versionsDuProjet(projet: ProjetRow | null | undefined, journal: readonly JournalEntry[]): { date: IsoDate; etat: ProjetRow['etat']; codesRome: string[] }[] {
  const ecritures = journal
    .filter((e) => e.action === 'insert projet_professionnel' || e.action === 'update projet_professionnel')
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const versions: { date: IsoDate; etat: ProjetRow['etat']; codesRome: string[] }[] = [];
  let courante = null as { date: IsoDate; etat: ProjetRow['etat']; codesRome: string[] } | null;
  for (const e of ecritures) {
    const apres = (champ: string) => e.changes[champ]?.after;
    const date: IsoDate | undefined = (apres('date_mise_a_jour') as string | undefined)?.slice(0, 10) ?? courante?.date;
    const etat: ProjetRow['etat'] | undefined = (apres('etat') as ProjetRow['etat'] | undefined) ?? courante?.etat;
    const codesRome: string[] = (apres('codes_rome') as string[] | undefined) ?? courante?.codesRome ?? [];
    if (!date || !etat) continue;
    courante = { date, etat, codesRome };
    versions.push(courante);
  }
  if (versions.length === 0 && projet) versions.push({ date: projet.dateMiseAJour, etat: projet.etat, codesRome: projet.codesRome });
  return versions;
}

/** The order of event types on one day, so that a start comes before an end. */
const ORDRE_TYPES = [
  'DIAGNOSTIC_SOCIO_PROFESSIONNEL',
  'INSCRIPTION_FRANCE_TRAVAIL',
  'EVALUATION_LANGUE',
  'CERTIFICATION_LANGUE',
  'PROJET_PROFESSIONNEL',
  'PROJET_PROFESSIONNEL_MODIFIE',
  'ACCOMPAGNEMENT_EXTERNE_DEBUT',
  'ETAPE_PROJET',
  'CANDIDATURE',
  'FORMATION_DEBUT',
  'CONTRAT_DEBUT',
  'FORMATION_FIN',
  'CONTRAT_FIN',
  'ACCOMPAGNEMENT_EXTERNE_FIN',
];

/**
 * The domain's dated events for the unified chronologie, oldest first. Labels are built from
 * codes and referentials only (type of contract, ROME label, CECRL level...), never from text the
 * referent typed (employer, training title), so that the chronologie shows no personal free text.
 */
export function evenements(parcoursId: string, f: FaitsDatables): DuParcours<EvenementDomaine>[] {
  const e: DuParcours<EvenementDomaine>[] = [];
  const add = (date: string, type: string, libelle: string) => e.push({ parcoursId, date, domaine: 'EMPLOI_FORMATION', type, libelle });
  if (f.diagnostic) add(f.diagnostic.dateDiagnostic, 'DIAGNOSTIC_SOCIO_PROFESSIONNEL', 'Diagnostic socio-professionnel');
  if (f.inscription) add(f.inscription.dateInscription, 'INSCRIPTION_FRANCE_TRAVAIL', 'Inscription à France Travail');
  for (const ev of f.evaluations) add(ev.dateEvaluation, 'EVALUATION_LANGUE', `Évaluation du français : niveau ${ev.niveauCecrl === 'NON_LECTEUR_NON_SCRIPTEUR' ? 'non lecteur non scripteur' : ev.niveauCecrl}`);
  for (const c of f.certifications) add(c.dateObtention, 'CERTIFICATION_LANGUE', `Certification ${c.type === 'AUTRE' ? 'de langue' : c.type} obtenue : niveau ${c.niveauCecrl}`);
  for (const s of f.etapes) add(s.dateDebut, 'ETAPE_PROJET', s.codeRome ? `${LIBELLE_ETAPE[s.type]} : ${metier(s.codeRome).libelle}` : LIBELLE_ETAPE[s.type]);
  for (const c of f.candidatures) {
    const resultat = LIBELLE_RESULTAT[c.resultat];
    add(c.dateCandidature, 'CANDIDATURE', `Candidature via ${LIBELLE_CANAL[c.canal]} : ${metier(c.codeRome).libelle}${resultat ? ` (${resultat})` : ''}`);
  }
  for (const [i, v] of versionsDuProjet(f.projet, f.journal ?? []).entries()) {
    const metiers = v.codesRome.map((code) => metier(code).libelle).join(', ');
    add(v.date, i === 0 ? 'PROJET_PROFESSIONNEL' : 'PROJET_PROFESSIONNEL_MODIFIE', `Projet professionnel ${i === 0 ? '' : 'modifié '}: ${LIBELLE_ETAT_PROJET[v.etat]}${metiers ? ` (${metiers})` : ''}`);
  }
  for (const a of f.accompagnements ?? []) {
    add(a.dateDebut, 'ACCOMPAGNEMENT_EXTERNE_DEBUT', `Début de l'accompagnement par ${LIBELLE_ACCOMPAGNEMENT[a.type]}`);
    if (a.dateFin) add(a.dateFin, 'ACCOMPAGNEMENT_EXTERNE_FIN', `Fin de l'accompagnement par ${LIBELLE_ACCOMPAGNEMENT[a.type]}`);
  }
  for (const fo of f.formations) {
    const nom = fo.dispositifLinguistique ? `${LIBELLE_FORMATION[fo.type]} (${LIBELLE_DISPOSITIF[fo.dispositifLinguistique]})` : LIBELLE_FORMATION[fo.type];
    add(fo.dateDebut, 'FORMATION_DEBUT', `Début de ${nom}`);
    if (fo.dateFin) add(fo.dateFin, 'FORMATION_FIN', `Fin de ${nom}`);
  }
  for (const c of f.contrats) {
    const nom = `${LIBELLE_CONTRAT[c.type]} : ${metier(c.codeRome).libelle}`;
    add(c.dateDebut, 'CONTRAT_DEBUT', majuscule(`début de ${nom}`));
    if (c.dateFin) add(c.dateFin, 'CONTRAT_FIN', majuscule(`fin de ${nom}`));
  }
  return e.sort((a, b) => compareDates(a.date, b.date) || ORDRE_TYPES.indexOf(a.type) - ORDRE_TYPES.indexOf(b.type));
}
