import { compareDates, type IsoDate } from '@agir/common';
import type { StatutParcours } from '../entities';
import { formaterDate } from './format';
import { LIBELLE_STATUT } from './parcours-state';

/**
 * The unified timeline of a parcours: Coordination's own dated events (protection, orientation,
 * CIR, convocation, diagnostic, commission, contract, evaluations, exit, follow-ups, referent
 * changes, every transition)
 * merged with the events the two domains report, sorted by date, then by domain, and otherwise in
 * the order given (a stable sort). Pure: the caller passes what it has loaded.
 */

export interface EvenementParcours {
  date: IsoDate;
  domaine: string;
  type: string;
  libelle: string;
}

/** What Coordination knows of a parcours, as dated facts. */
export interface FaitsCoordination {
  statut: StatutParcours;
  canalOrientation: string;
  dateOrientation: IsoDate;
  dateSignatureCir: IsoDate | null;
  dateDiagnostic: IsoDate | null;
  dateCommission: IsoDate | null;
  dateContrat: IsoDate | null;
  dateSortie: IsoDate | null;
  dateReintegration?: IsoDate | null;
  convocation?: { remiseLe: IsoDate; dateRdv: IsoDate; heure: string; site: string } | null;
  evaluations?: { type: string; date: IsoDate }[];
  suivis?: { echeance: 'TROIS_MOIS' | 'SIX_MOIS'; date: IsoDate }[];
  ateliers?: { date: IsoDate; theme: string }[];
  /** The person's international protection, when the caller may read it. */
  protection?: { type: 'REFUGIE' | 'PROTECTION_SUBSIDIAIRE' | null; date: IsoDate } | null;
  /** Each replacement of a referent of the binôme, with its day. */
  changementsReferents?: { domaine: 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION'; date: IsoDate }[];
  /** The recorded transitions, oldest first. */
  transitions?: { action: string; statutApres: StatutParcours; date: IsoDate; motif: string | null }[];
}

/** The order of domains for events of the same day. */
const ORDRE_DOMAINES = ['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION'];

/** Each transition's type, for the step it records (a transition replaces the date-column event). */
const TYPE_PAR_ACTION: Record<string, string> = {
  ORIENTER: 'ORIENTATION',
  CONVOQUER: 'CONVOCATION',
  REALISER_DIAGNOSTIC: 'DIAGNOSTIC',
  TENIR_COMMISSION: 'COMMISSION',
  CONTRACTUALISER: 'CONTRAT',
  SORTIR: 'SORTIE',
  REALISER_SUIVI_3_MOIS: 'SUIVI_3_MOIS',
  REALISER_SUIVI_6_MOIS: 'SUIVI_6_MOIS',
  CLORE: 'CLOTURE',
  REINTEGRER: 'REINTEGRATION',
  CONSTATER_FIN_DE_DROITS: 'FIN_DE_DROITS',
  REFUSER_CONTRAT: 'REFUS_CONTRACTUALISATION',
  EXCLURE: 'EXCLUSION',
  ABANDONNER: 'ABANDON',
};

const LIBELLE_TYPE: Record<string, string> = {
  ORIENTATION: 'Orientation vers le programme AGIR',
  SIGNATURE_CIR: "Signature du contrat d'intégration républicaine (CIR)",
  CONVOCATION: "Convocation à l'entretien diagnostic",
  DIAGNOSTIC: 'Entretien diagnostic AGIR',
  COMMISSION: "Commission d'attribution du référent parcours",
  CONTRAT: "Signature du contrat d'engagement réciproque",
  SORTIE: 'Sortie du programme',
  SUIVI_3_MOIS: 'Entretien de suivi à 3 mois',
  SUIVI_6_MOIS: 'Entretien de suivi à 6 mois',
  CLOTURE: 'Clôture du parcours',
  REINTEGRATION: "Réintégration avec l'accord du représentant de l'État",
  FIN_DE_DROITS: "Fin de droits : terme de l'accompagnement",
  REFUS_CONTRACTUALISATION: 'Refus du contrat (définitif)',
  EXCLUSION: 'Exclusion du programme',
  ABANDON: "Arrêt de l'accompagnement par la personne (définitif)",
  PROTECTION: 'Obtention de la protection internationale',
  CHANGEMENT_REFERENT: 'Changement de référent',
};

const LIBELLE_PROTECTION = { REFUGIE: 'statut de réfugié', PROTECTION_SUBSIDIAIRE: 'protection subsidiaire' } as const;
const LIBELLE_DOMAINE = { DROITS_LOGEMENT: 'Droits & Logement', EMPLOI_FORMATION: 'Emploi & Formation' } as const;

const LIBELLE_EVALUATION: Record<string, string> = { ENTREE: "Évaluation d'entrée", MI_PARCOURS: 'Évaluation à mi-parcours', SORTIE: 'Évaluation de sortie' };

/** The end a date of exit stands for, by statut (for parcours recorded without a history). */
const FIN_PAR_STATUT: Partial<Record<StatutParcours, string>> = {
  SORTI: 'SORTIE',
  SUIVI_3_MOIS: 'SORTIE',
  SUIVI_6_MOIS: 'SORTIE',
  CLOS: 'SORTIE',
  FIN_DE_DROITS: 'FIN_DE_DROITS',
  ABANDON: 'ABANDON',
  EXCLU: 'EXCLUSION',
  REFUS_CONTRACTUALISATION: 'REFUS_CONTRACTUALISATION',
};

/** Coordination's own events for a parcours, in the order of the parcours. */
export function evenementsCoordination(f: FaitsCoordination): EvenementParcours[] {
  const evenements: EvenementParcours[] = [];
  const ev = (date: IsoDate | null | undefined, type: string, libelle = LIBELLE_TYPE[type] ?? type) => {
    if (date != null) evenements.push({ date, domaine: 'COORDINATION', type, libelle });
  };
  const transitions = f.transitions ?? [];
  const parTransition = new Set(transitions.map((t) => TYPE_PAR_ACTION[t.action]));
  if (f.protection) ev(f.protection.date, 'PROTECTION', f.protection.type ? `${LIBELLE_TYPE.PROTECTION} (${LIBELLE_PROTECTION[f.protection.type]})` : undefined);
  // The CIR is signed before (or on the day of) the OFII orientation.
  ev(f.dateSignatureCir, 'SIGNATURE_CIR');
  // Steps known by their date column only (parcours recorded before the history existed).
  const colonne = (date: IsoDate | null | undefined, type: string, libelle?: string) => {
    if (!parTransition.has(type)) ev(date, type, libelle);
  };
  const canal = f.canalOrientation === 'OFII' ? " par l'OFII" : f.canalOrientation === 'FICHE_LIAISON' ? ' (fiche de liaison validée par l\'OFII)' : " sur instruction du représentant de l'État";
  colonne(f.dateOrientation, 'ORIENTATION', `${LIBELLE_TYPE.ORIENTATION}${canal}`);
  if (f.convocation && !parTransition.has('CONVOCATION')) colonne(f.convocation.remiseLe, 'CONVOCATION', libelleConvocation(f.convocation));
  colonne(f.dateDiagnostic, 'DIAGNOSTIC');
  colonne(f.dateCommission, 'COMMISSION');
  colonne(f.dateContrat, 'CONTRAT');
  const fin = FIN_PAR_STATUT[f.statut];
  if (fin) colonne(f.dateSortie, fin);
  for (const t of transitions) {
    const type = TYPE_PAR_ACTION[t.action] ?? t.action;
    let libelle = LIBELLE_TYPE[type] ?? `${t.action} : ${LIBELLE_STATUT[t.statutApres]}`;
    if (type === 'CONVOCATION' && f.convocation) libelle = libelleConvocation(f.convocation);
    if (t.motif) libelle = `${libelle} (${t.motif})`;
    ev(t.date, type, libelle);
  }
  for (const e of f.evaluations ?? []) ev(e.date, `EVALUATION_${e.type}`, LIBELLE_EVALUATION[e.type] ?? `Évaluation ${e.type}`);
  for (const s of f.suivis ?? []) {
    const type = s.echeance === 'TROIS_MOIS' ? 'SUIVI_3_MOIS' : 'SUIVI_6_MOIS';
    if (!parTransition.has(type)) ev(s.date, type);
  }
  for (const c of f.changementsReferents ?? []) ev(c.date, 'CHANGEMENT_REFERENT', `${LIBELLE_TYPE.CHANGEMENT_REFERENT} ${LIBELLE_DOMAINE[c.domaine]}`);
  for (const a of f.ateliers ?? []) ev(a.date, 'ATELIER', `Atelier collectif : ${a.theme.toLowerCase().replace(/_/g, ' ')}`);
  return evenements;
}

function libelleConvocation(c: NonNullable<FaitsCoordination['convocation']>): string {
  return `${LIBELLE_TYPE.CONVOCATION} le ${formaterDate(c.dateRdv)} à ${c.heure}, ${c.site}`;
}

/**
 * Merges event lists into one timeline: by date, then by domain (Coordination, Droits & Logement,
 * Emploi & Formation, then any other alphabetically), otherwise in the order given.
 */
export function fusionnerChronologie(...listes: readonly (readonly EvenementParcours[] | null | undefined)[]): EvenementParcours[] {
  const rang = (d: string) => {
    const i = ORDRE_DOMAINES.indexOf(d);
    return i === -1 ? ORDRE_DOMAINES.length : i;
  };
  const tous = listes.flatMap((l) => l ?? []);
  return tous
    .map((e, i) => ({ e, i }))
    .sort((a, b) => compareDates(a.e.date, b.e.date) || rang(a.e.domaine) - rang(b.e.domaine) || a.e.domaine.localeCompare(b.e.domaine) || a.i - b.i)
    .map(({ e }) => e);
}
