import type { ParcoursRow } from '../../subgraphs/coordination/src/entities';
import type {
  CandidatureRow,
  CategorieSituationProfessionnelle,
  DiagnosticRow,
  DiplomeRow,
  ContratTravailRow,
  DispositifLinguistique,
  EvaluationLangueRow,
  FormationRow,
  FreinRow,
  InscriptionFranceTravailRow,
  NiveauFormation,
  ProjetRow,
  SituationProfessionnelleRow,
  TypeContratRow,
  TypeFormationRow,
} from '../../subgraphs/emploi-formation/src/entities';
import { categorieActivite, estStabilisant, metierRome, type Activite } from '../../subgraphs/emploi-formation/src/rules';
import { addMonths, day, isoDate, type Day } from './dates';
import { SORTIES } from './jalons';
import type { Random } from './random';
import { derivedId, VIGNETTES } from './vignettes';

/**
 * The contracts and trainings behind the professional situations the demo records, and what goes
 * with them in Emploi & Formation: the professional project (ROME codes), the France Travail
 * registration, a few barriers to employment and job applications. Each contract or training
 * covers one recorded situation period and carries the category and stabilising flag the rules
 * module gives it (as the subgraph's write path stores them); the category always equals the
 * recorded situation's, which this module checks.
 */

export interface EmploiFormationComplements {
  diagnostics: DiagnosticRow[];
  diplomes: DiplomeRow[];
  contrats: ContratTravailRow[];
  formations: FormationRow[];
  projets: ProjetRow[];
  inscriptions: InscriptionFranceTravailRow[];
  freins: FreinRow[];
  candidatures: CandidatureRow[];
}

/** Jobs the people of the programme actually take in the two départements (weights: our estimate). */
const METIERS: ReadonlyArray<readonly [string, number]> = [
  ['K2204', 16], // Nettoyage de locaux
  ['G1602', 9], // Personnel de cuisine
  ['G1603', 6], // Personnel polyvalent en restauration
  ['G1605', 5], // Plonge en restauration
  ['N1103', 9], // Magasinage et préparation de commandes
  ['N1101', 5], // Conduite d'engins de déplacement des charges
  ['H2102', 8], // Conduite d'équipement de production alimentaire
  ['H3302', 5], // Opérations manuelles d'assemblage, tri ou emballage
  ['K1304', 5], // Services domestiques
  ['J1301', 5], // Personnel polyvalent des services hospitaliers
  ['F1703', 6], // Maçonnerie
  ['F1602', 2], // Électricité bâtiment
  ['A1203', 4], // Aménagement et entretien des espaces verts
  ['A1414', 3], // Horticulture et maraîchage
  ['I1203', 3], // Maintenance des bâtiments et des locaux
  ['N4105', 3], // Conduite et livraison par tournées sur courte distance
  ['D1106', 3], // Vente en alimentation
  ['K1303', 2], // Assistance auprès d'enfants
];
for (const [code] of METIERS) {
  if (metierRome(code) === null) throw new Error(`demo: ROME code ${code} is not in the referential`);
}

const EMPLOYEURS: Record<string, readonly string[]> = {
  K2204: ['Onet Propreté Nantes', 'Samsic Propreté Atlantique', 'GSF Orion', 'Atalian Propreté Ouest'],
  G1602: ['Restaurant collectif Sodexo', 'Cuisine centrale municipale', 'Brasserie du Port', 'Elior Restauration'],
  G1603: ['Crêperie de la Place', 'Restaurant d’entreprise Compass', 'Cafétéria hospitalière'],
  G1605: ['Brasserie du Port', 'Restaurant La Marée', 'Hôtel-restaurant des Voyageurs'],
  N1103: ['Entrepôt Lidl – logistique', 'Geodis Logistique', 'Système U Ouest – base logistique', 'FM Logistic'],
  N1101: ['Geodis Logistique', 'Kuehne + Nagel', 'Plateforme logistique Leclerc'],
  H2102: ['Fleury Michon', 'LDC – Volailles', 'Biscuiterie artisanale', 'Cooperl – découpe'],
  H3302: ['Atelier de conditionnement Ouest', 'Légumerie coopérative', 'Conserverie Saint-Gilles'],
  K1304: ['ADMR', 'Domicile Services Ouest', 'Association d’aide à domicile'],
  J1301: ['CHU de Nantes', 'EHPAD Les Tilleuls', 'Centre hospitalier départemental', 'Clinique Jules Verne'],
  F1703: ['Bouygues Bâtiment Grand Ouest', 'Maçonnerie Guérin', 'Entreprise Charier'],
  F1602: ['Eiffage Énergie Systèmes', 'SPIE Ouest', 'Électricité Durand'],
  A1203: ['Jardins et Paysages de l’Erdre', 'Ville – service des espaces verts', 'ID Verde'],
  A1414: ['Maraîchers nantais – GAEC', 'Serres de la Vallée', 'Coopérative maraîchère'],
  I1203: ['Bailleur social – régie', 'Nantes Métropole Habitat – régie', 'Résidence Services Ouest'],
  N4105: ['La Poste – Colissimo', 'Transports Sotrama', 'Livraisons Express Ouest'],
  D1106: ['Carrefour Market', 'Intermarché', 'Biocoop'],
  K1303: ['Crèche associative Les Petits Pas', 'Ville – petite enfance', 'Accueil périscolaire'],
};

const ACI: Record<string, readonly string[]> = {
  '44': ['ACI Ressourcerie de l’Île', 'ACI Jardins de Cocagne nantais', 'ACI Le Relais Atlantique', 'ACI Bâti-Solidaire'],
  '85': ['ACI Vendée Recyclage', 'ACI Jardins de la Vie', 'ACI Bocage Environnement'],
};
const EI: Record<string, readonly string[]> = {
  '44': ['EI Envie 44', 'EI Propreté Solidaire Nantes', 'EI Restaurant d’insertion La Table'],
  '85': ['EI Envie Vendée', 'EI Service Plus Vendée'],
};
const GEIQ = ['GEIQ Propreté Pays de la Loire', 'GEIQ BTP 44', 'GEIQ Industrie Vendée', 'GEIQ Agroalimentaire Ouest'];
const CFA = ['CFA BTP de Loire-Atlantique', 'CFA des Métiers de Vendée', 'CFA Agroalimentaire Ouest', 'CFA Hôtellerie-Restauration'];
const ORGANISMES: Record<string, readonly string[]> = {
  '44': ['AFPA Saint-Herblain', 'GRETA-CFA Loire-Atlantique', 'Retravailler Pays de la Loire', 'CFP Presqu’île'],
  '85': ['AFPA La Roche-sur-Yon', 'GRETA-CFA Vendée', 'Retravailler Vendée'],
};
const TITRES: Record<string, string> = {
  K2204: 'Titre professionnel Agent de propreté et d’hygiène',
  G1602: 'CAP Cuisine',
  G1603: 'Titre professionnel Agent de restauration',
  G1605: 'Titre professionnel Agent de restauration',
  N1103: 'Titre professionnel Préparateur de commandes en entrepôt',
  N1101: 'CACES R489 et titre professionnel Cariste d’entrepôt',
  H2102: 'CQP Conducteur de ligne agroalimentaire',
  H3302: 'CQP Opérateur de production',
  K1304: 'Titre professionnel Assistant de vie aux familles',
  J1301: 'Titre professionnel Agent de service médico-social',
  F1703: 'Titre professionnel Maçon',
  F1602: 'Titre professionnel Électricien d’équipement du bâtiment',
  A1203: 'CAP Jardinier paysagiste',
  A1414: 'CAPa Métiers de l’agriculture – maraîchage',
  I1203: 'Titre professionnel Agent de maintenance des bâtiments',
  N4105: 'Titre professionnel Conducteur livreur sur véhicule utilitaire léger',
  D1106: 'Titre professionnel Employé commercial',
  K1303: 'CAP Accompagnant éducatif petite enfance',
};

interface Periode {
  categorie: CategorieSituationProfessionnelle;
  debut: Day;
  /** Last day, inclusive; null when the period is still open. */
  fin: Day | null;
}

/** What the generator knows of a followed parcours. */
interface Contexte {
  parcours: ParcoursRow;
  today: Day;
  /** The day until which a still-open activity must at least run (today, or a little after). */
  ouvertJusqua: Day;
  cirHeures: EvaluationLangueRow['heuresParcoursCir'];
  age: number;
}

function classer<T extends { type: string; dateDebut: string; dateFin: string | null; diplomante?: boolean }>(a: T): { categorie: CategorieSituationProfessionnelle; stabilisant: boolean } {
  const activite = a as unknown as Activite;
  return { categorie: categorieActivite(activite), stabilisant: estStabilisant(activite) };
}

function tempsTravail(random: Random, rome: string): Pick<ContratTravailRow, 'tempsTravail' | 'heuresHebdomadaires'> {
  const partiel = random.chance(rome === 'K2204' || rome === 'K1304' ? 0.55 : 0.15);
  return partiel ? { tempsTravail: 'TEMPS_PARTIEL', heuresHebdomadaires: random.pick([20, 24, 26, 28, 30]) } : { tempsTravail: 'TEMPS_PLEIN', heuresHebdomadaires: 35 };
}

/** A contract for a job, training or engagement period, of a type that gives the period's category. */
function contratPour(random: Random, c: Contexte, p: Periode, rome: string): ContratTravailRow {
  const { debut } = p;
  const dep = c.parcours.departement;
  const ouvert = p.fin === null;
  const finOuverte = (naturelle: Day): Day => Math.max(naturelle, c.ouvertJusqua + random.int(10, 120));
  let type: TypeContratRow;
  let fin: Day | null;
  let termeImprecis = false;
  let employeur = random.pick(EMPLOYEURS[rome] ?? ['Entreprise locale']);
  switch (p.categorie) {
    case 'EMPLOI_DURABLE': {
      const plusDeSixMois = (f: Day): boolean => f > addMonths(debut, 6);
      if (ouvert) {
        type = random.chance(0.55) ? 'CDI' : 'CDD';
        fin = type === 'CDI' ? null : Math.max(finOuverte(addMonths(debut, random.pick([9, 12, 18]))), addMonths(debut, 6) + 1);
      } else {
        fin = p.fin;
        type = plusDeSixMois(fin as Day) && random.chance(0.6) ? 'CDD' : 'CDI';
      }
      break;
    }
    case 'EMPLOI_COURT': {
      const sixMois = addMonths(debut, 6);
      if (ouvert) {
        if (sixMois >= c.ouvertJusqua + 15 && random.chance(0.65)) {
          type = 'CDD';
          termeImprecis = random.chance(0.2);
          fin = termeImprecis ? null : random.int(c.ouvertJusqua + 7, sixMois);
        } else {
          type = 'INTERIM';
          fin = c.ouvertJusqua + random.int(5, 45);
          employeur = random.pick(['Adecco Nantes', 'Manpower Saint-Nazaire', 'Randstad La Roche-sur-Yon', 'Start People', 'Actual Intérim']);
        }
      } else {
        fin = p.fin;
        type = (fin as Day) <= sixMois && random.chance(0.65) ? 'CDD' : 'INTERIM';
        if (type === 'INTERIM') employeur = random.pick(['Adecco Nantes', 'Manpower Saint-Nazaire', 'Randstad La Roche-sur-Yon', 'Start People', 'Actual Intérim']);
      }
      break;
    }
    case 'ALTERNANCE':
      type = c.age < 30 && random.chance(0.45) ? 'APPRENTISSAGE' : 'PROFESSIONNALISATION';
      employeur = type === 'APPRENTISSAGE' ? employeur : random.chance(0.6) ? random.pick(GEIQ) : employeur;
      fin = ouvert ? finOuverte(addMonths(debut, random.pick([12, 18, 24])) - 1) : p.fin;
      break;
    case 'INSERTION_ACTIVITE_ECONOMIQUE':
      type = random.chance(0.7) ? 'IAE_ACI' : 'IAE_EI';
      employeur = random.pick((type === 'IAE_ACI' ? ACI : EI)[dep] ?? ACI['44']!);
      fin = ouvert ? finOuverte(addMonths(debut, random.pick([4, 6, 8, 12])) - 1) : p.fin;
      break;
    case 'SERVICE_CIVIQUE':
      type = 'SERVICE_CIVIQUE';
      employeur = random.pick(['Unis-Cité', 'Croix-Rouge française', 'Secours populaire', 'Ligue de l’enseignement', 'Emmaüs']);
      fin = ouvert ? finOuverte(addMonths(debut, random.int(6, 10)) - 1) : p.fin;
      break;
    default:
      throw new Error(`demo: no contract for ${p.categorie}`);
  }
  const base = {
    id: random.uuid(),
    parcoursId: c.parcours.id,
    type,
    employeur,
    codeRome: rome,
    dateDebut: isoDate(debut),
    dateFin: fin === null ? null : isoDate(fin),
    termeImprecis,
    ...(type === 'SERVICE_CIVIQUE' ? { tempsTravail: 'TEMPS_PARTIEL' as const, heuresHebdomadaires: 28 } : tempsTravail(random, rome)),
  };
  return { ...base, ...classer(base) };
}

function resultatFormation(random: Random, fin: Day | null, today: Day, diplomante: boolean): FormationRow['resultat'] {
  if (fin === null || fin >= today) return 'EN_COURS';
  return random.weighted<FormationRow['resultat']>([
    ['TERMINEE', diplomante ? 15 : 80],
    ['DIPLOME_OBTENU', diplomante ? 70 : 0],
    ['ABANDONNEE', 8],
    ['ECHEC', diplomante ? 7 : 0],
  ]);
}

/** A training for a training or studies period, of a type that gives the period's category. */
function formationPour(random: Random, c: Contexte, p: Periode, rome: string, premiere: boolean): FormationRow {
  const { debut } = p;
  const dep = c.parcours.departement;
  const sortie = SORTIES.includes(c.parcours.statut);
  const finOuverte = (naturelle: Day): Day => Math.max(naturelle, c.ouvertJusqua + random.int(10, 120));
  let type: TypeFormationRow;
  let dispositif: DispositifLinguistique | null = null;
  let intitule: string;
  let organisme = random.pick(ORGANISMES[dep] ?? ORGANISMES['44']!);
  let codeRome: string | null = null;
  let diplomante = false;
  let fin: Day | null;
  let heures: number;
  switch (p.categorie) {
    case 'FORMATION_LINGUISTIQUE': {
      type = 'LINGUISTIQUE';
      dispositif = premiere && c.cirHeures !== null ? 'CIR' : random.weighted<DispositifLinguistique>([['FLE', 55], ['FRANCAIS_VISEE_PROFESSIONNELLE', 30], ['OEPRE', 8], ['AUTRE', 7]]);
      intitule = {
        CIR: `Formation linguistique du CIR (${c.cirHeures ?? 100} h)`,
        FLE: 'Français langue étrangère – parcours intensif',
        FRANCAIS_VISEE_PROFESSIONNELLE: 'Français à visée professionnelle',
        OEPRE: 'Ouvrir l’école aux parents pour la réussite des enfants',
        AUTRE: 'Ateliers sociolinguistiques',
      }[dispositif];
      if (dispositif === 'CIR') organisme = dep === '44' ? 'OFII – prestataire linguistique de Nantes' : 'OFII – prestataire linguistique de La Roche-sur-Yon';
      heures = dispositif === 'CIR' ? (c.cirHeures ?? 100) : random.pick([120, 200, 300, 400]);
      fin = p.fin ?? finOuverte(debut + random.int(60, 240));
      break;
    }
    case 'FORMATION_PROFESSIONNELLE': {
      type = sortie
        ? random.weighted<TypeFormationRow>([['QUALIFIANTE', 70], ['CERTIFIANTE', 30]])
        : random.weighted<TypeFormationRow>([['QUALIFIANTE', 45], ['PRE_QUALIFIANTE', 35], ['CERTIFIANTE', 20]]);
      codeRome = rome;
      diplomante = type !== 'PRE_QUALIFIANTE';
      intitule = type === 'PRE_QUALIFIANTE' ? random.pick(['Prépa compétences', 'Prépa apprentissage', 'Découverte des métiers – parcours HOPE']) : (TITRES[rome] ?? 'Titre professionnel');
      heures = type === 'PRE_QUALIFIANTE' ? random.pick([140, 210, 280]) : random.pick([420, 560, 700, 840, 1050]);
      fin = p.fin ?? finOuverte(debut + random.int(90, 300));
      break;
    }
    case 'ETUDES': {
      type = 'UNIVERSITAIRE';
      diplomante = sortie || random.chance(0.5);
      intitule = diplomante ? random.pick(['Licence professionnelle', 'BTS en alternance', 'BUT – reprise d’études']) : 'DU Passerelle – Étudiants en exil';
      organisme = dep === '44' ? 'Nantes Université' : 'Nantes Université – campus de La Roche-sur-Yon';
      heures = random.pick([300, 450, 600]);
      fin = p.fin ?? finOuverte(addMonths(debut, random.pick([9, 12])) - 1);
      break;
    }
    default:
      throw new Error(`demo: no training for ${p.categorie}`);
  }
  const resultat = resultatFormation(random, fin, c.today, diplomante);
  const duree = Math.max(1, (fin ?? c.today) - debut + 1);
  const fait = Math.min(1, Math.max(0, (Math.min(c.today, fin ?? c.today) - debut + 1) / duree));
  const realisees = resultat === 'ABANDONNEE' ? heures * fait * 0.6 : heures * fait;
  const base = {
    id: random.uuid(),
    parcoursId: c.parcours.id,
    type,
    dispositifLinguistique: dispositif,
    intitule,
    organisme,
    codeRome,
    diplomante,
    dateDebut: isoDate(debut),
    dateFin: fin === null ? null : isoDate(fin),
    heuresPrevues: heures,
    heuresRealisees: Math.round(realisees * 2) / 2,
    resultat,
  };
  return { ...base, ...classer(base) };
}

const EST_CONTRAT: ReadonlySet<CategorieSituationProfessionnelle> = new Set([
  'EMPLOI_DURABLE',
  'EMPLOI_COURT',
  'ALTERNANCE',
  'INSERTION_ACTIVITE_ECONOMIQUE',
  'SERVICE_CIVIQUE',
]);

/** The recorded periods, each ending the day before the next starts (the moving day belongs to the new one). */
function periodes(situations: readonly SituationProfessionnelleRow[]): Periode[] {
  const triees = [...situations].sort((a, b) => a.dateDebut.localeCompare(b.dateDebut));
  return triees.map((s, i) => {
    const next = triees[i + 1];
    const debut = day(s.dateDebut);
    let fin = s.dateFin === null ? null : day(s.dateFin);
    if (next !== undefined) fin = Math.max(debut, Math.min(fin ?? Infinity, day(next.dateDebut) - 1));
    return { categorie: s.categorie, debut, fin };
  });
}

/** Fixed contracts and trainings of the vignettes (seed 002), kept when started by `today`. */
function activitesVignette(parcoursId: string, today: Day): { contrats: ContratTravailRow[]; formations: FormationRow[] } | null {
  const id = (n: string): string => derivedId(`${parcoursId}/${n}`);
  const contrats: Array<Omit<ContratTravailRow, 'categorie' | 'stabilisant'>> = [];
  const formations: Array<Omit<FormationRow, 'categorie' | 'stabilisant'>> = [];
  const enCours = (fin: string | null): FormationRow['resultat'] => (fin === null || day(fin) >= today ? 'EN_COURS' : 'TERMINEE');
  if (parcoursId === VIGNETTES.madameB.parcoursId) {
    // "CDD de remplacement ASH" in May 2023 for a few months, then the GEIQ propreté contract.
    contrats.push(
      { id: id('contrat/0'), parcoursId, type: 'CDD', employeur: 'CHU de Nantes', codeRome: 'J1301', dateDebut: '2023-05-02', dateFin: '2023-07-31', termeImprecis: false, tempsTravail: 'TEMPS_PLEIN', heuresHebdomadaires: 35 },
      { id: id('contrat/1'), parcoursId, type: 'PROFESSIONNALISATION', employeur: 'GEIQ Propreté Pays de la Loire', codeRome: 'K2204', dateDebut: '2023-10-02', dateFin: '2024-10-01', termeImprecis: false, tempsTravail: 'TEMPS_PLEIN', heuresHebdomadaires: 35 },
    );
  } else if (parcoursId === VIGNETTES.monsieurJ.parcoursId) {
    formations.push({
      id: id('formation/0'), parcoursId, type: 'LINGUISTIQUE', dispositifLinguistique: 'FLE', intitule: 'Français langue étrangère – parcours intensif',
      organisme: 'CFP Presqu’île', codeRome: null, diplomante: false, dateDebut: '2023-02-01', dateFin: '2023-06-30', heuresPrevues: 300, heuresRealisees: 300, resultat: enCours('2023-06-30'),
    });
    contrats.push({ id: id('contrat/0'), parcoursId, type: 'SERVICE_CIVIQUE', employeur: 'Unis-Cité Nantes', codeRome: 'K1303', dateDebut: '2023-10-02', dateFin: '2024-05-31', termeImprecis: false, tempsTravail: 'TEMPS_PARTIEL', heuresHebdomadaires: 28 });
  } else if (parcoursId === VIGNETTES.monsieurA.parcoursId) {
    formations.push({
      id: id('formation/0'), parcoursId, type: 'LINGUISTIQUE', dispositifLinguistique: 'CIR', intitule: 'Formation linguistique du CIR (400 h)',
      organisme: 'OFII – prestataire linguistique de La Roche-sur-Yon', codeRome: null, diplomante: false, dateDebut: '2023-02-28', dateFin: '2023-08-31', heuresPrevues: 400, heuresRealisees: 400, resultat: enCours('2023-08-31'),
    });
    contrats.push({ id: id('contrat/0'), parcoursId, type: 'IAE_ACI', employeur: 'ACI Vendée Recyclage', codeRome: 'H3302', dateDebut: '2023-09-01', dateFin: '2025-03-29', termeImprecis: false, tempsTravail: 'TEMPS_PARTIEL', heuresHebdomadaires: 26 });
  } else {
    return null;
  }
  const started = <T extends { dateDebut: string }>(a: T): boolean => day(a.dateDebut) <= today;
  return {
    contrats: contrats.filter(started).map((c) => ({ ...c, ...classer(c) })),
    formations: formations.filter(started).map((f) => ({ ...f, ...classer(f) })),
  };
}

/** Education levels of the people the programme follows (weights: our estimate, from the services' reports). */
const NIVEAUX: ReadonlyArray<readonly [NiveauFormation, number]> = [
  ['NON_SCOLARISE', 12], ['PRIMAIRE', 18], ['SECONDAIRE_SANS_DIPLOME', 25], ['SECONDAIRE_DIPLOME', 20], ['SUPERIEUR_BAC_2', 10], ['SUPERIEUR_BAC_3', 8], ['SUPERIEUR_BAC_5_ET_PLUS', 7],
];
const RECONNAISSANCES: ReadonlyArray<readonly [DiplomeRow['reconnaissance'], number]> = [['NON_DEMANDEE', 50], ['EN_COURS', 25], ['RECONNU', 20], ['REFUSE', 5]];
const DIPLOMES: Partial<Record<NiveauFormation, string>> = {
  SECONDAIRE_DIPLOME: 'Baccalauréat', SUPERIEUR_BAC_2: 'Diplôme de technicien supérieur', SUPERIEUR_BAC_3: 'Licence', SUPERIEUR_BAC_5_ET_PLUS: 'Master',
};

/** A weighted pick from a number in [0, 1) (derived from an id, so that the other draws stay as they are). */
function pickFrom<T>(u: number, options: ReadonlyArray<readonly [T, number]>): T {
  const total = options.reduce((n, [, w]) => n + w, 0);
  let x = u * total;
  for (const [value, weight] of options) if ((x -= weight) < 0) return value;
  return options[options.length - 1]![0];
}
const unit = (key: string): number => parseInt(derivedId(key).replace(/-/g, '').slice(0, 8), 16) / 2 ** 32;

/** The socio-professional diagnosis of Emploi & Formation: the education level, and a foreign diploma from the secondary level up. */
function diagnosticSocioProfessionnel(p: ParcoursRow, pays: string, out: EmploiFormationComplements): void {
  const niveauFormation = pickFrom(unit(`${p.id}/niveau`), NIVEAUX);
  out.diagnostics.push({ parcoursId: p.id, dateDiagnostic: p.dateDiagnostic!, niveauFormation, souhaits: null, competences: [] });
  const intitule = DIPLOMES[niveauFormation];
  if (intitule) {
    out.diplomes.push({ id: derivedId(`${p.id}/diplome`), parcoursId: p.id, intitule, pays, annee: null, reconnaissance: pickFrom(unit(`${p.id}/reconnaissance`), RECONNAISSANCES) });
  }
}

/** Age in full years on `to` (birth date as 'YYYY-MM-DD'). */
function age(naissance: string, to: Day): number {
  const [y, m, d] = naissance.split('-').map(Number) as [number, number, number];
  const t = new Date(to * 86_400_000);
  return t.getUTCFullYear() - y - (t.getUTCMonth() + 1 < m || (t.getUTCMonth() + 1 === m && t.getUTCDate() < d) ? 1 : 0);
}

export function genererComplementsEmploi(
  random: Random,
  today: Day,
  parcours: readonly ParcoursRow[],
  naissances: ReadonlyMap<string, string>,
  pays: ReadonlyMap<string, string | null>,
  situations: readonly SituationProfessionnelleRow[],
  evaluations: readonly EvaluationLangueRow[],
): EmploiFormationComplements {
  const out: EmploiFormationComplements = { diagnostics: [], diplomes: [], contrats: [], formations: [], projets: [], inscriptions: [], freins: [], candidatures: [] };
  const parParcours = new Map<string, SituationProfessionnelleRow[]>();
  for (const s of situations) parParcours.set(s.parcoursId, [...(parParcours.get(s.parcoursId) ?? []), s]);
  const cir = new Map<string, EvaluationLangueRow['heuresParcoursCir']>();
  for (const e of evaluations) if (!cir.has(e.parcoursId)) cir.set(e.parcoursId, e.heuresParcoursCir);

  for (const p of parcours) {
    const sits = parParcours.get(p.id);
    if (p.dateDiagnostic === null || sits === undefined) continue;
    const diagnostic = day(p.dateDiagnostic);
    const fin = p.dateSortie === null ? today : Math.min(today, day(p.dateSortie));
    const c: Contexte = {
      parcours: p,
      today,
      ouvertJusqua: today,
      cirHeures: cir.get(p.id) ?? null,
      age: age(naissances.get(p.beneficiaireId) ?? '1990-01-01', diagnostic),
    };
    diagnosticSocioProfessionnel(p, pays.get(p.beneficiaireId) ?? 'AF', out);
    const metier = random.weighted(METIERS);
    const romes = new Set<string>();
    const vignette = activitesVignette(p.id, today);
    if (vignette !== null) {
      out.contrats.push(...vignette.contrats);
      out.formations.push(...vignette.formations);
      vignette.contrats.forEach((k) => romes.add(k.codeRome));
    } else {
      periodes(sits).forEach((periode, i) => {
        if (periode.categorie === 'SANS_ACTIVITE') return;
        const rome = random.chance(0.7) ? metier : random.weighted(METIERS);
        const row = EST_CONTRAT.has(periode.categorie) ? contratPour(random, c, periode, rome) : formationPour(random, c, periode, rome, i === 0);
        if (row.categorie !== periode.categorie) {
          throw new Error(`demo: ${row.type} from ${row.dateDebut} to ${row.dateFin} gives ${row.categorie}, the situation is ${periode.categorie}`);
        }
        if ('employeur' in row) {
          out.contrats.push(row);
          romes.add(row.codeRome);
        } else {
          out.formations.push(row);
          if (row.codeRome !== null) romes.add(row.codeRome);
        }
      });
    }

    // France Travail: most adults register in the first two months.
    if (random.chance(0.82) && diagnostic + 5 <= fin) {
      out.inscriptions.push({
        parcoursId: p.id,
        dateInscription: isoDate(random.int(diagnostic + 5, Math.min(fin, diagnostic + 60))),
        identifiant: `${random.int(1_000_000, 9_999_999)}${random.pick(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P'])}`,
      });
    }
    // A few barriers to employment, by type only (no health details).
    if (random.chance(0.35)) {
      const types = random.weightedDistinct<FreinRow['type']>(
        [['LANGUE', 30], ['MOBILITE', 20], ['GARDE_ENFANTS', 14], ['NUMERIQUE', 12], ['RECONNAISSANCE_QUALIFICATIONS', 10], ['LOGEMENT', 8], ['SANTE', 6]],
        random.int(1, 2),
      );
      for (const type of types) {
        const levee = fin - diagnostic >= 60 && random.chance(0.45) ? random.int(diagnostic + 30, fin) : null;
        out.freins.push({ parcoursId: p.id, type, dateIdentification: isoDate(diagnostic), dateLevee: levee === null ? null : isoDate(levee) });
      }
    }
    if (p.dateContrat === null) continue;
    const contrat = day(p.dateContrat);
    if (contrat > fin) continue;

    // The professional project of contractualised people, with the ROME codes of what they did.
    if (romes.size === 0) romes.add(metier);
    if (romes.size < 2 && random.chance(0.35)) romes.add(random.weighted(METIERS));
    const stabilise = [...out.contrats, ...out.formations].some((a) => a.parcoursId === p.id && a.stabilisant);
    const etat: ProjetRow['etat'] =
      p.id === VIGNETTES.monsieurA.parcoursId
        ? 'A_RETRAVAILLER'
        : stabilise
          ? 'VALIDE'
          : random.weighted<ProjetRow['etat']>([['VALIDE', 35], ['EN_VALIDATION', 25], ['A_CONSTRUIRE', 30], ['A_RETRAVAILLER', 10]]);
    out.projets.push({ parcoursId: p.id, etat, codesRome: [...romes], dateMiseAJour: isoDate(random.int(contrat, Math.min(fin, contrat + 120))) });

    // Some applications, mostly before the job they found.
    if (random.chance(0.3)) {
      const n = random.int(1, 3);
      for (let k = 0; k < n; k += 1) {
        const rome = [...romes][k % romes.size] as string;
        const date = random.int(contrat, fin);
        const recente = fin - date < 30 && p.dateSortie === null;
        out.candidatures.push({
          id: random.uuid(),
          parcoursId: p.id,
          employeur: random.pick(EMPLOYEURS[rome] ?? ['Entreprise locale']),
          codeRome: rome,
          dateCandidature: isoDate(date),
          canal: random.weighted<CandidatureRow['canal']>([['FRANCE_TRAVAIL', 30], ['EMPLOIS_DE_L_INCLUSION', 25], ['CANDIDATURE_SPONTANEE', 15], ['RESEAU', 15], ['AGENCE_INTERIM', 10], ['AUTRE', 5]]),
          resultat: recente
            ? random.weighted<CandidatureRow['resultat']>([['EN_ATTENTE', 60], ['ENTRETIEN', 40]])
            : random.weighted<CandidatureRow['resultat']>([['REFUSEE', 45], ['ACCEPTEE', 25], ['ABANDONNEE', 15], ['ENTRETIEN', 15]]),
        });
      }
    }
  }
  return out;
}
