import type {
  Axe,
  CommissionRow,
  ContratEngagementRow,
  ConventionRow,
  ConvocationRow,
  DiagnosticRow,
  EntretienSuiviRow,
  EvaluationRow,
  ParcoursRow,
  Priorite,
  StatutParcours,
  StructureRow,
  TransitionRow,
} from '../../subgraphs/coordination/src/entities';
import type {
  DemandeLogementSocialRow,
  IncidentLogementRow,
  MesureLogementRow,
  PropositionLogementRow,
  TypologieLogement,
} from '../../subgraphs/droits-logement/src/entities';
import { addMonths, day, isoDate, type Day } from './dates';
import { genererComplementsEmploi, type EmploiFormationComplements } from './emploi';
import type { DemoData } from './generate';
import { SORTIES } from './jalons';
import { Random } from './random';
import type { Reference } from './reference';
import { derivedId } from './vignettes';

/**
 * The tables the subgraphs gained after the first demo: the parcours history and steps
 * (Coordination), the social-housing application, offers, measures and incidents (Droits &
 * Logement), contracts, trainings, projects... (Emploi & Formation). Computed from the rows already
 * generated, with a random sequence of their own (derived from the seed) so that the earlier rows
 * stay exactly what they were.
 */

export type TransitionDemo = Omit<TransitionRow, 'enregistreLe' | 'sequence'>;

export interface CoordinationComplements {
  structures: StructureRow[];
  transitions: TransitionDemo[];
  convocations: ConvocationRow[];
  diagnostics: DiagnosticRow[];
  commissions: CommissionRow[];
  contrats: ContratEngagementRow[];
  evaluations: EvaluationRow[];
  entretiens: EntretienSuiviRow[];
  conventions: ConventionRow[];
}

export interface DroitsLogementComplements {
  demandes: DemandeLogementSocialRow[];
  propositions: PropositionLogementRow[];
  mesures: MesureLogementRow[];
  incidents: IncidentLogementRow[];
}

export interface Complements {
  coordination: CoordinationComplements;
  droitsLogement: DroitsLogementComplements;
  emploiFormation: EmploiFormationComplements;
}

export function genererComplements(seed: number, today: Day, reference: Reference, data: DemoData): Complements {
  // Exclusions: after two refused housing offers for about half (seed 001), otherwise for not taking part.
  const motifs = new Random(seed * 31 + 4);
  for (const p of data.coordination.parcours) {
    if (p.statut !== 'EXCLU' || p.dateContrat === null || p.dateSortie === null) continue;
    const long = day(p.dateSortie) - day(p.dateContrat) > 120;
    p.motifExclusion = motifs.weighted<NonNullable<ParcoursRow['motifExclusion']>>([
      ['DEUX_REFUS_LOGEMENT', long ? 50 : 0],
      ['NON_ADHESION', 35],
      ['VIOLENCE_MENACES', 15],
    ]);
  }
  const naissances = new Map(data.coordination.beneficiaires.map((b) => [b.id, b.dateNaissance] as const));
  const pays = new Map(data.coordination.beneficiaires.map((b) => [b.id, b.paysNaissance] as const));
  const emploiFormation = genererComplementsEmploi(
    new Random(seed * 31 + 1),
    today,
    data.coordination.parcours,
    naissances,
    pays,
    data.emploiFormation.situations,
    data.emploiFormation.evaluations,
  );
  const droitsLogement = genererLogement(new Random(seed * 31 + 2), today, data);
  const coordination = genererCoordination(new Random(seed * 31 + 3), today, reference, data, droitsLogement);
  return { coordination, droitsLogement, emploiFormation };
}

// --- Droits & Logement ----------------------------------------------------------------------

const BAILLEURS: Record<string, readonly string[]> = {
  '44': ['Nantes Métropole Habitat', 'Atlantique Habitations', 'La Nantaise d’Habitations', 'Habitat 44', 'Silène', 'CDC Habitat'],
  '85': ['Vendée Habitat', 'Podeliha', 'Les Sables Habitat', 'Atlantique Habitations'],
};
const MOTIFS_REFUS = [
  'Logement trop éloigné du lieu de travail',
  'Loyer trop élevé au regard des ressources',
  'Quartier ne convenant pas (éloignement de l’école des enfants)',
  'Logement trop petit pour la famille',
  'Pas de transport en commun à proximité',
  'Logement en étage élevé sans ascenseur',
];
const MOTIFS_BLOCAGE = ['BLOCAGE_ADMINISTRATIF', 'PIECE_MANQUANTE', 'DELAI_ORGANISME', 'AUTRE'] as const;

function genererLogement(random: Random, today: Day, data: DemoData): DroitsLogementComplements {
  const out: DroitsLogementComplements = { demandes: [], propositions: [], mesures: [], incidents: [] };
  const situations = new Map<string, DemoData['droitsLogement']['situations']>();
  for (const s of data.droitsLogement.situations) situations.set(s.parcoursId, [...(situations.get(s.parcoursId) ?? []), s]);

  // Blocked procedures get a motif and the day they were blocked; every procedure its last change.
  data.droitsLogement.demarches = data.droitsLogement.demarches.map((d) => {
    if (d.statut === 'BLOQUE' && d.dateDebut !== null) {
      const debut = day(d.dateDebut);
      const depuis = random.int(debut, Math.max(debut, Math.min(today, debut + 60)));
      const motif = random.weighted<(typeof MOTIFS_BLOCAGE)[number]>([['PIECE_MANQUANTE', 35], ['DELAI_ORGANISME', 30], ['BLOCAGE_ADMINISTRATIF', 25], ['AUTRE', 10]]);
      return {
        ...d,
        motifBlocage: motif,
        commentaireBlocage: motif === 'AUTRE' ? 'Rendez-vous impossible à obtenir en ligne' : motif === 'PIECE_MANQUANTE' ? random.pick(['Acte de naissance OFPRA attendu', 'Justificatif de domicile manquant', 'RIB manquant']) : null,
        bloqueeDepuis: isoDate(depuis),
        dernierChangement: isoDate(depuis),
      };
    }
    return { ...d, dernierChangement: d.dateFin ?? d.dateDebut };
  });

  for (const p of data.coordination.parcours) {
    const periodes = (situations.get(p.id) ?? []).slice().sort((a, b) => a.dateDebut.localeCompare(b.dateDebut));
    if (p.dateContrat === null || periodes.length === 0) continue;
    const contrat = day(p.dateContrat);
    const fin = p.dateSortie === null ? today : Math.min(today, day(p.dateSortie));
    if (contrat >= fin) continue;
    const dep = p.departement;
    const aDeposer = periodes.some((s) => (s.categorie === 'DNA' || s.categorie === 'HEBERGEMENT_TEMPORAIRE') && (s.dateFin === null || day(s.dateFin) >= contrat));
    const parcSocial = periodes.find((s) => s.type === 'PARC_SOCIAL' && day(s.dateDebut) > contrat);
    const exclu2Refus = p.statut === 'EXCLU' && p.motifExclusion === 'DEUX_REFUS_LOGEMENT';
    if (!aDeposer && parcSocial === undefined && !exclu2Refus) continue;

    // The social-housing application, filed in the first two months of the contract.
    const limite = parcSocial ? day(parcSocial.dateDebut) - 45 : fin;
    const depot = Math.max(contrat, Math.min(limite, contrat + random.int(10, 60)));
    const derniere = periodes[periodes.length - 1]!;
    const chefLieu = dep === '85' ? { code: '85191', nom: 'La Roche-sur-Yon' } : { code: '44109', nom: 'Nantes' };
    const ici = derniere.communeInsee !== null && derniere.communeNom !== null ? { code: derniere.communeInsee, nom: derniere.communeNom } : chefLieu;
    const communes = [...new Set([ici.code, chefLieu.code])];
    const typologies: TypologieLogement[] = random.weighted<TypologieLogement[]>([[['T1', 'T2'], 50], [['T2'], 15], [['T3'], 20], [['T3', 'T4'], 10], [['T4', 'T5_ET_PLUS'], 5]]);
    const renouvellements: string[] = [];
    for (let r = addMonths(depot, 12); r <= fin; r = addMonths(r, 12)) renouvellements.push(isoDate(r));
    const yy = String(new Date(depot * 86_400_000).getUTCFullYear()).slice(2);
    out.demandes.push({
      id: random.uuid(),
      parcoursId: p.id,
      numeroUnique: `0${dep}${yy}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
      dateDepot: isoDate(depot),
      communesSouhaitees: communes,
      typologiesSouhaitees: typologies,
      renouvellements,
    });

    const offre = (date: Day, reponse: PropositionLogementRow['reponse'], delai: number, commune?: { code: string; nom: string }): void => {
      const c = commune ?? ici;
      out.propositions.push({
        id: random.uuid(),
        parcoursId: p.id,
        date: isoDate(date),
        bailleur: random.pick(BAILLEURS[dep] ?? BAILLEURS['44']!),
        typologie: random.pick(typologies),
        communeInsee: c.code,
        communeNom: c.nom,
        reponse,
        dateReponse: reponse === 'EN_ATTENTE' ? null : isoDate(date + delai),
        motifRefus: reponse === 'REFUSEE' ? random.pick(MOTIFS_REFUS) : null,
      });
    };
    if (parcSocial !== undefined) {
      // The accepted offer before the move, sometimes after a refused one.
      const emmenagement = day(parcSocial.dateDebut);
      const acceptee = Math.max(depot + 1, emmenagement - random.int(20, 45));
      if (random.chance(0.3) && acceptee - depot > 40) offre(random.int(depot + 10, acceptee - 25), 'REFUSEE', random.int(2, 10));
      offre(acceptee, 'ACCEPTEE', Math.min(random.int(3, 10), emmenagement - acceptee), parcSocial.communeInsee !== null && parcSocial.communeNom !== null ? { code: parcSocial.communeInsee, nom: parcSocial.communeNom } : ici);
      // Support towards and into the new home.
      if (random.chance(0.35)) {
        const debut = Math.max(depot, emmenagement - random.int(30, 90));
        const finMesure = addMonths(debut, random.pick([6, 12]));
        out.mesures.push({ id: random.uuid(), parcoursId: p.id, type: random.chance(0.7) ? 'AVDL' : 'ASLL', dateDebut: isoDate(debut), dateFin: finMesure <= today ? isoDate(finMesure) : null });
      }
      if (random.chance(0.25)) out.mesures.push({ id: random.uuid(), parcoursId: p.id, type: 'FSL_ACCES', dateDebut: isoDate(emmenagement), dateFin: isoDate(emmenagement) });
      if (today - emmenagement > 90 && random.chance(0.12)) {
        const date = random.int(emmenagement + 60, today);
        const resolu = random.chance(0.6) && today - date > 20 ? random.int(date + 10, today) : null;
        out.incidents.push({ id: random.uuid(), parcoursId: p.id, type: random.weighted([['IMPAYE_LOYER', 70], ['TROUBLE_VOISINAGE', 25], ['AUTRE', 5]]), date: isoDate(date), dateResolution: resolu === null ? null : isoDate(resolu) });
        if (resolu === null && random.chance(0.5)) out.mesures.push({ id: random.uuid(), parcoursId: p.id, type: 'FSL_MAINTIEN', dateDebut: isoDate(date + 5 <= today ? date + 5 : date), dateFin: null });
      }
    } else if (exclu2Refus) {
      // Two refused offers, then the exclusion (seed 001).
      const sortie = day(p.dateSortie as string);
      const d2 = Math.max(depot + 2, sortie - random.int(15, 40));
      const d1 = Math.max(depot + 1, Math.min(d2 - 1, d2 - random.int(40, 120)));
      offre(d1, 'REFUSEE', 0);
      offre(d2, 'REFUSEE', Math.min(5, Math.max(0, sortie - d2)));
    } else if (p.statut === 'CONTRACTUALISE' && fin - depot > 60) {
      // Still waiting: a few have an offer to answer, a few have already refused two (the alert).
      const r = random.int(0, 99);
      if (r < 8) {
        const d2 = random.int(Math.max(depot + 30, fin - 40), fin);
        offre(random.int(depot + 10, d2 - 15), 'REFUSEE', random.int(2, 8));
        offre(d2, d2 + 7 <= fin ? 'REFUSEE' : 'EN_ATTENTE', random.int(2, 7));
      } else if (r < 30) {
        const d = random.int(Math.max(depot + 10, fin - 30), fin);
        offre(d, 'EN_ATTENTE', 0);
      } else if (r < 42) {
        offre(random.int(depot + 10, fin - 10), 'REFUSEE', random.int(2, 8));
      }
      if (random.chance(0.1)) out.mesures.push({ id: random.uuid(), parcoursId: p.id, type: 'AVDL', dateDebut: isoDate(random.int(depot, fin)), dateFin: null });
    }
  }
  return out;
}

// --- Coordination ---------------------------------------------------------------------------

const BASSINS: Record<string, string> = {
  '441': 'Châteaubriant-Ancenis',
  '442': 'Nantes',
  '443': 'Saint-Nazaire',
  '851': 'Fontenay-le-Comte',
  '852': 'La Roche-sur-Yon',
  '853': 'Les Sables-d’Olonne',
};
const AXES: readonly Axe[] = ['DROITS', 'LOGEMENT', 'EMPLOI', 'FORMATION'];
const OBSERVATIONS: Record<Axe, readonly string[]> = {
  DROITS: ['Titre de séjour à renouveler, état civil OFPRA en cours', 'Ouverture des droits CAF et CPAM à engager', 'Compte bancaire à ouvrir'],
  LOGEMENT: ['Hébergé en CADA, sortie à préparer', 'Hébergement chez un tiers, demande de logement social à déposer', 'Recherche d’un logement adapté à la composition familiale'],
  EMPLOI: ['Expérience dans le bâtiment au pays d’origine', 'Souhaite travailler rapidement', 'Projet professionnel à construire'],
  FORMATION: ['Niveau de français à consolider avant une formation qualifiante', 'Formation linguistique du CIR en cours', 'Diplôme étranger à faire reconnaître'],
};
const OBJECTIFS: Record<Axe, readonly string[]> = {
  DROITS: ['Obtenir le titre de séjour pluriannuel', 'Ouvrir les droits CAF', 'Obtenir l’état civil OFPRA'],
  LOGEMENT: ['Déposer une demande de logement social', 'Accéder à un logement autonome', 'Accéder à un logement adapté'],
  EMPLOI: ['S’inscrire à France Travail', 'Réaliser une immersion en entreprise', 'Signer un contrat de plus de six mois'],
  FORMATION: ['Atteindre le niveau A2', 'Entrer en formation qualifiante', 'Suivre le parcours linguistique du CIR'],
};

/** Partner conventions of seed 002: OFII signed; the public employment service and the social landlords' union being negotiated. */
function conventions(reference: Reference, structures: StructureRow[]): ConventionRow[] {
  const franceTravail: StructureRow = { id: derivedId('structure/FRANCE_TRAVAIL'), nom: 'France Travail Pays de la Loire', domaines: [], departements: ['44', '85'], membreGroupement: false };
  const ush: StructureRow = { id: derivedId('structure/USH'), nom: 'USH des Pays de la Loire', domaines: [], departements: ['44', '85'], membreGroupement: false };
  structures.push(franceTravail, ush);
  return [
    { id: derivedId('convention/OFII'), structureId: reference.structureIds.OFII, intitule: 'Convention de partenariat OFII – orientation des BPI signataires du CIR', etat: 'SIGNEE', departement: null, dateSignature: '2023-01-02' },
    { id: derivedId('convention/SPE'), structureId: franceTravail.id, intitule: 'Convention Service Public de l’Emploi', etat: 'EN_COURS', departement: null, dateSignature: null },
    { id: derivedId('convention/USH-44'), structureId: ush.id, intitule: 'Convention d’accès au parc social', etat: 'EN_COURS', departement: '44', dateSignature: null },
  ];
}

function genererCoordination(random: Random, today: Day, reference: Reference, data: DemoData, dl: DroitsLogementComplements): CoordinationComplements {
  const out: CoordinationComplements = { structures: [], transitions: [], convocations: [], diagnostics: [], commissions: [], contrats: [], evaluations: [], entretiens: [], conventions: [] };
  out.conventions = conventions(reference, out.structures);
  const sites = new Map(reference.sites.map((s) => [s.row.id, s] as const));
  const referents = new Map(reference.referents.map((r) => [r.row.id, r.row] as const));
  const refus = new Map<string, number>();
  for (const o of dl.propositions) if (o.reponse === 'REFUSEE') refus.set(o.parcoursId, (refus.get(o.parcoursId) ?? 0) + 1);

  for (const p of data.coordination.parcours) {
    const site = sites.get(p.siteId)!;
    const structureSite = reference.structureIds[site.structure];
    const ref = referents.get(p.referentEmploiFormationId ?? p.referentDroitsLogementId ?? '');
    const auteurSite = { auteurId: ref?.id ?? `demo-${site.structure.toLowerCase()}`, auteurNom: ref ? `${ref.prenom} ${ref.nom}` : site.row.nom, auteurStructure: structureSite };
    let statut: StatutParcours | null = null;
    const push = (action: string, apres: StatutParcours, date: Day, auteur = auteurSite, motif: string | null = null, ref2: string | null = null): void => {
      out.transitions.push({ id: random.uuid(), parcoursId: p.id, action, statutAvant: statut, statutApres: apres, dateEffet: isoDate(date), ...auteur, motif, reference: ref2 });
      statut = apres;
    };
    const orientation = day(p.dateOrientation);
    const diagnostic = p.dateDiagnostic === null ? null : day(p.dateDiagnostic);
    const commission = p.dateCommission === null ? null : day(p.dateCommission);
    const contrat = p.dateContrat === null ? null : day(p.dateContrat);
    const sortie = p.dateSortie === null ? null : day(p.dateSortie);

    push(
      'ORIENTER',
      'ORIENTE',
      orientation,
      p.canalOrientation === 'OFII'
        ? { auteurId: 'demo-ofii', auteurNom: p.departement === '44' ? 'OFII – Direction territoriale de Nantes' : 'OFII – Direction territoriale de Nantes (Vendée)', auteurStructure: reference.structureIds.OFII }
        : auteurSite,
      p.canalOrientation === 'PREFET' ? 'Entrée exceptionnelle sur décision du préfet' : null,
    );
    // The convocation: handed over at the orientation or within days, for the diagnostic appointment.
    const convoque = diagnostic !== null || p.statut === 'CONVOQUE' || (p.statut === 'ABANDON' && sortie !== null && sortie - orientation > 7);
    if (convoque) {
      const borne = diagnostic ?? sortie ?? today;
      const remise = Math.min(borne, orientation + random.int(0, 5));
      const rdv = diagnostic ?? Math.max(remise, Math.min(remise + random.int(7, 25), sortie ?? remise + 25));
      push('CONVOQUER', 'CONVOQUE', remise);
      out.convocations.push({ parcoursId: p.id, siteId: p.siteId, dateRdv: isoDate(rdv), heure: random.pick(['09:00', '09:30', '10:00', '11:00', '14:00', '14:30', '15:30']), contenu: `Rendez-vous de diagnostic au ${site.row.nom}. Venir avec le titre de séjour et le CIR.`, remiseLe: isoDate(remise) });
    }
    if (diagnostic !== null) {
      push('REALISER_DIAGNOSTIC', 'DIAGNOSTIC_REALISE', diagnostic);
      const axes = random.weightedDistinct(AXES.map((a) => [a, 1] as const), random.int(2, 4));
      const priorite = random.weighted<Priorite>([['LES_DEUX', 55], ['DROITS_LOGEMENT', 25], ['EMPLOI_FORMATION', 20]]);
      out.diagnostics.push({
        parcoursId: p.id,
        dateDiagnostic: isoDate(diagnostic),
        professionnel: ref ? `${ref.prenom} ${ref.nom}` : `Équipe du ${site.row.nom}`,
        axes: axes.map((axe) => ({ axe, observations: random.pick(OBSERVATIONS[axe]) })),
        prioriteRecommandee: priorite,
        signeParBeneficiaire: random.chance(0.93),
      });
      if (commission !== null) {
        push('TENIR_COMMISSION', 'COMMISSION_REALISEE', commission);
        const partenaires = [reference.structureIds[site.structure], reference.structureIds[random.pick(['GROUPE_SOS', 'AURORE', 'SOLIHA', 'CFP', 'RETRAVAILLER', 'FACE'] as const)]];
        out.commissions.push({ parcoursId: p.id, dateCommission: isoDate(commission), priorite, bassinDeVie: BASSINS[site.bassin[0] ?? ''] ?? site.row.nom, partenaireIds: [...new Set(partenaires)] });
      }
      if (contrat !== null) {
        push('CONTRACTUALISER', 'CONTRACTUALISE', contrat);
        out.contrats.push({
          parcoursId: p.id,
          dateSignature: isoDate(contrat),
          dateFin: isoDate(addMonths(contrat, 24) - 1),
          plan: axes.map((axe) => ({ axe, objectifs: random.weightedDistinct(OBJECTIFS[axe].map((o) => [o, 1] as const), random.int(1, 2)) })),
        });
        p.dateFinContrat = isoDate(addMonths(contrat, 24) - 1);
        out.evaluations.push({ id: random.uuid(), parcoursId: p.id, type: 'ENTREE', dateEvaluation: isoDate(contrat), axes: axes.map((axe) => ({ axe, appreciation: 'Situation de départ posée avec la personne' })) });
        const fin = sortie ?? today;
        if (addMonths(contrat, 12) <= fin) {
          out.evaluations.push({ id: random.uuid(), parcoursId: p.id, type: 'MI_PARCOURS', dateEvaluation: isoDate(addMonths(contrat, 12)), axes: axes.map((axe) => ({ axe, appreciation: random.pick(['Objectifs en bonne voie', 'Objectifs partiellement atteints', 'Objectifs à revoir']) })) });
        }
        if (sortie !== null && SORTIES.includes(p.statut)) {
          out.evaluations.push({ id: random.uuid(), parcoursId: p.id, type: 'SORTIE', dateEvaluation: isoDate(sortie), axes: axes.map((axe) => ({ axe, appreciation: 'Objectifs atteints' })) });
        }
      }
    }
    if (sortie === null) continue;
    switch (p.statut) {
      case 'SORTI':
      case 'SUIVI_3_MOIS':
      case 'SUIVI_6_MOIS':
      case 'CLOS': {
        push('SORTIR', 'SORTI', sortie, auteurSite, 'Logement et situation professionnelle stabilisés');
        const suivis: Array<[string, StatutParcours, number, EntretienSuiviRow['echeance'] | null]> = [
          ['REALISER_SUIVI_3_MOIS', 'SUIVI_3_MOIS', 3, 'TROIS_MOIS'],
          ['REALISER_SUIVI_6_MOIS', 'SUIVI_6_MOIS', 6, 'SIX_MOIS'],
          ['CLORE', 'CLOS', 7, null],
        ];
        for (const [action, apres, mois, echeance] of suivis) {
          const d = addMonths(sortie, mois);
          if (d > today) break;
          push(action, apres, d);
          if (echeance !== null) {
            out.entretiens.push({
              parcoursId: p.id,
              echeance,
              dateEntretien: isoDate(d),
              resultat: random.weighted([['Situation maintenue : logement et emploi stables', 75], ['Situation maintenue, changement d’employeur', 15], ['Situation fragilisée : fin de contrat, orientation vers France Travail', 10]]),
            });
          }
        }
        break;
      }
      case 'FIN_DE_DROITS':
        push('CONSTATER_FIN_DE_DROITS', 'FIN_DE_DROITS', sortie);
        break;
      case 'REFUS_CONTRACTUALISATION':
        push('REFUSER_CONTRAT', 'REFUS_CONTRACTUALISATION', sortie, auteurSite, 'La personne ne souhaite pas s’engager dans l’accompagnement');
        break;
      case 'EXCLU': {
        const motif = p.motifExclusion ?? 'NON_ADHESION';
        push('EXCLURE', 'EXCLU', sortie, auteurSite, motif === 'DEUX_REFUS_LOGEMENT' ? `Deux propositions de logement refusées (${refus.get(p.id) ?? 2})` : 'Non-adhésion à l’accompagnement');
        break;
      }
      case 'ABANDON':
        push('ABANDONNER', 'ABANDON', sortie, auteurSite, random.pick(['Départ hors du département', 'Plus de nouvelles malgré les relances', 'Ne souhaite plus être accompagné']));
        break;
      default:
        break;
    }
  }
  return out;
}
