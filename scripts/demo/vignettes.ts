import { createHash } from 'node:crypto';
import type { BeneficiaireRow, StatutParcours } from '../../subgraphs/coordination/src/entities';
import { CATEGORIE_PAR_TYPE, type DemarcheDroitRow, type TypeLogement } from '../../subgraphs/droits-logement/src/entities';
import type { CategorieSituationProfessionnelle, EvaluationLangueRow, NiveauCecrl } from '../../subgraphs/emploi-formation/src/entities';
import { communeByCode, type Departement } from './communes';
import { day, instantOn, isoDate, type Day } from './dates';
import type { DemoData } from './generate';
import { colonnesDates, derniereModification, finDeDroits, statutApresSortie, type Jalons } from './jalons';
import type { TypeDemarche } from './domaines';
import type { Identite } from './personnes';
import type { Reference, StructureKey } from './reference';

/**
 * The three parcours of seed 002 ("Vignette Emploi & Formation", webinar of 12 October 2023),
 * with the seed's dates, fixed identities and fixed ids, whatever the seed of the random part.
 *
 * Date conventions, where the seed gives only a month: the first working day of that month
 * (1 January, 1 May and 1 November are public holidays, some 1sts are week-ends), unless noted.
 * Facts the seed does not give but the tables need (a referent, a CECRL level...) are marked
 * "not in the seed" and kept minimal.
 *
 * Their statut is computed for `today` from these facts, like any parcours: on 12 October 2023
 * all three were CONTRACTUALISE; since then
 * - Madame B. met the exit criteria (résidence sociale + work-study contract) in October 2023, so
 *   she exits on 31 October 2023, is followed up at 3 and 6 months, and is CLOS from 31 May 2024;
 * - Monsieur J. (service civique, university project still to come) and Monsieur A. (project to
 *   rework for health reasons) have no stabilised situation in the seed: their accompaniment runs
 *   to its 24-month term, FIN_DE_DROITS on 1 February 2025 and 29 March 2025.
 */

/** Fixed ids of the vignettes (v4 uuids chosen once), the same in all three databases. */
export const VIGNETTES = {
  monsieurJ: { parcoursId: '43896839-8cb6-47c8-bb31-097d936129a6', beneficiaireId: '1e39768d-fbca-45b0-bf59-d0a384774dd6' },
  madameB: { parcoursId: 'd87655ca-3159-4531-80aa-98283ecfea0f', beneficiaireId: '986fc056-d1de-4468-b9cd-f655c4bc7f58' },
  monsieurA: { parcoursId: 'f05cd6ba-79cb-4348-b200-58ad68dc10f1', beneficiaireId: 'd655981e-4e79-40be-a8ad-58a0223a4860' },
} as const;

export type VignetteKey = keyof typeof VIGNETTES;

/** The earliest `today` at which all three vignettes exist (Monsieur A. signs his CIR that day). */
export const PREMIER_JOUR_DES_VIGNETTES = '2023-02-10';

interface Histoire {
  departement: Departement;
  /** Site name, as in reference.ts. */
  site: string;
  /** INSEE code of the commune of residence at entry. */
  residence: string;
  identite: Identite;
  protection: BeneficiaireRow['protection'];
  dateObtentionProtection: string;
  /** All three were oriented by the OFII at their CIR signature, which is the orientation date. */
  cir: string;
  diagnostic: string;
  commission: string;
  contrat: string;
  /** A positive exit on a date, or the 24-month term. */
  issue: { sortie: string } | 'FIN_DE_DROITS';
  /** Binôme: [structure, rank among its referents of the département for the domain]. */
  referents: { dl: [StructureKey, number]; ef: [StructureKey, number] };
  logement: Array<{ type: TypeLogement; commune: string; debut: string }>;
  demarches: Array<{ type: TypeDemarche; organisme: string; statut: DemarcheDroitRow['statut']; debut: string; fin: string | null }>;
  /** Professional periods; each ends the day before the next starts unless `fin` says otherwise. */
  emploi: Array<{ categorie: CategorieSituationProfessionnelle; debut: string; fin?: string }>;
  langue: Array<{ niveau: NiveauCecrl; date: string; heures: EvaluationLangueRow['heuresParcoursCir'] }>;
}

const NANTES = '44109';
const REZE = '44143';
const LA_ROCHE_SUR_YON = '85191';

const HISTOIRES: Record<VignetteKey, Histoire> = {
  // Monsieur J.: young man followed by the CADA with his brother and parents; arrived June 2022.
  // Wants to resume university studies and build social ties. Nationality not in the seed.
  monsieurJ: {
    departement: '44',
    site: 'Centre 2 CFP – Nantes', // "Nantes area"; the vignette was presented by CFP Presqu'île
    residence: NANTES,
    identite: {
      nom: 'Jaber',
      prenom: 'Yazan',
      sexe: 'HOMME',
      paysNaissance: 'SY',
      // Not in the seed. Young enough for a service civique (up to 25) in October 2023.
      dateNaissance: '2001-03-14',
      telephone: '+33644182735',
      email: 'yazan.jaber@gmail.com',
    },
    protection: 'REFUGIE',
    dateObtentionProtection: '2022-11-02', // "Novembre 2022"; the 1st is All Saints' Day
    cir: '2023-01-02', // "Janvier 2023"
    diagnostic: '2023-01-25', // "25/01/2023"
    // Not in the seed: a commission the week after the diagnostic, the contract right after it
    // on the first working day of "Février 2023".
    commission: '2023-01-31',
    contrat: '2023-02-01',
    issue: 'FIN_DE_DROITS',
    referents: { dl: ['AURORE', 0], ef: ['CFP', 0] },
    logement: [
      // In CADA at entry (the AGIR record starts at the diagnostic), then "logement adapté" at the
      // end of the February–May social accompaniment: an IML flat for the family.
      { type: 'CADA', commune: NANTES, debut: '2023-01-25' },
      { type: 'IML', commune: NANTES, debut: '2023-06-01' },
    ],
    // "Février/Mai 2023: accompagnement social, accès aux droits": the usual first rights.
    demarches: [
      { type: 'COMPTE_BANCAIRE', organisme: 'La Banque Postale', statut: 'OBTENU', debut: '2023-02-06', fin: '2023-02-20' },
      { type: 'ASSURANCE_MALADIE', organisme: 'CPAM de Loire-Atlantique', statut: 'OBTENU', debut: '2023-02-06', fin: '2023-03-20' },
      { type: 'ETAT_CIVIL_OFPRA', organisme: 'OFPRA', statut: 'OBTENU', debut: '2023-02-13', fin: '2023-04-17' },
      { type: 'TITRE_SEJOUR', organisme: 'Préfecture de la Loire-Atlantique', statut: 'OBTENU', debut: '2023-02-13', fin: '2023-05-22' },
    ],
    emploi: [
      { categorie: 'SANS_ACTIVITE', debut: '2023-01-25' },
      // OFII French course 100 h (February), then FLE 100 h (March/April), ending in June.
      { categorie: 'FORMATION_LINGUISTIQUE', debut: '2023-02-01', fin: '2023-06-30' },
      // July: put in touch with the university, DU passerelle tests; application planned for
      // January 2024. September: presented to COOP'R.
      { categorie: 'SANS_ACTIVITE', debut: '2023-07-01' },
      // "Octobre 2023: signature du contrat civique de 8 mois": October 2023 to May 2024.
      { categorie: 'SERVICE_CIVIQUE', debut: '2023-10-02', fin: '2024-05-31' },
    ],
    langue: [
      // 100 h prescribed at the CIR; the level is not in the seed (100 h means close to A1).
      { niveau: 'A1', date: '2023-01-25', heures: 100 },
      // Not in the seed: after 200 hours of French, at the time of the DU passerelle tests.
      { niveau: 'A2', date: '2023-07-03', heures: 100 },
    ],
  },

  // Madame B.: single mother with a child, in CADA; arrived August 2018. Project: pastry, or any
  // other. Nationality not in the seed.
  madameB: {
    departement: '44',
    site: 'Centre 1 AGIR – Rezé',
    residence: REZE,
    identite: {
      nom: 'Bangoura',
      prenom: 'Mariama',
      sexe: 'FEMME',
      paysNaissance: 'GN',
      dateNaissance: '1994-07-08', // not in the seed
      telephone: '+33752906418',
      email: null,
    },
    protection: 'REFUGIE',
    dateObtentionProtection: '2022-10-03', // "Octobre 2022"; the 1st is a Saturday
    cir: '2023-01-02', // "Janvier 2023"
    diagnostic: '2023-01-13', // "13/01/2023"
    commission: '2023-01-27', // not in the seed: two weeks after the diagnostic
    contrat: '2023-02-17', // "17/02/2023", three weeks after the commission
    // Résidence sociale since July and a work-study contract in October: both exit criteria are
    // met; exit at the end of that month.
    issue: { sortie: '2023-10-31' },
    referents: { dl: ['GROUPE_SOS', 0], ef: ['CFP', 1] },
    logement: [
      { type: 'CADA', commune: REZE, debut: '2023-01-13' },
      // "Juillet 2023: entrée en résidence sociale – prise du relai TS AGIR". Commune not in the seed.
      { type: 'RESIDENCE_SOCIALE', commune: NANTES, debut: '2023-07-03' },
    ],
    demarches: [
      // "Démarches pour validation du permis de conduire" (March), "réception du permis échangé" (July).
      {
        type: 'ECHANGE_PERMIS_CONDUIRE', organisme: 'ANTS – CERT EPE de Nantes', statut: 'OBTENU',
        debut: '2023-03-01', fin: '2023-07-03',
      },
      // "Démarches crèches" (March); found in time for the job she starts on 2 May (not in the seed).
      { type: 'AUTRE', organisme: 'Ville de Rezé – petite enfance', statut: 'OBTENU', debut: '2023-03-01', fin: '2023-04-28' },
    ],
    emploi: [
      // Registered at Pôle Emploi in March, CV and applications to cleaning companies in April.
      { categorie: 'SANS_ACTIVITE', debut: '2023-01-13' },
      // "Mai 2023: signature CDD de remplacement ASH dans un EHPAD" (six months or less).
      { categorie: 'EMPLOI_COURT', debut: '2023-05-02' },
      // "Octobre 2023: signature d'un contrat professionnel avec le GEIQ propreté".
      { categorie: 'ALTERNANCE', debut: '2023-10-02' },
    ],
    // Not in the seed: five years in France, no CIR hours prescribed.
    langue: [{ niveau: 'A2', date: '2023-01-13', heures: null }],
  },

  // Monsieur A.: married, father of two children (9 and 13); arrived February 2022. Nationality
  // not in the seed.
  monsieurA: {
    departement: '85',
    site: 'Antenne FACE – La Roche-sur-Yon', // the vignette was presented by FACE Vendée
    residence: LA_ROCHE_SUR_YON,
    identite: {
      nom: 'Amiri',
      prenom: 'Hamid',
      sexe: 'HOMME',
      paysNaissance: 'AF',
      dateNaissance: '1984-05-20', // not in the seed
      telephone: '+33623571904',
      email: null,
    },
    protection: 'REFUGIE',
    dateObtentionProtection: '2022-10-11', // "11/10/2022"
    cir: '2023-02-10', // "10/02/2023"
    diagnostic: '2023-02-28', // "28/02/2023"
    commission: '2023-03-14', // not in the seed: two weeks after the diagnostic
    contrat: '2023-03-29', // "29/03/2023"
    // "Projet à retravailler entièrement car Monsieur annonce des problèmes de santé".
    issue: 'FIN_DE_DROITS',
    referents: { dl: ['SOLIHA', 0], ef: ['FACE', 0] },
    // "Échanges réguliers avec TS CADA": still in CADA as far as the seed goes.
    logement: [{ type: 'CADA', commune: LA_ROCHE_SUR_YON, debut: '2023-02-28' }],
    // Not in the seed: family benefits for the two children, and care for the health problems
    // he announced (the Droits & Logement side of "projet à retravailler").
    demarches: [
      { type: 'CAF_PRESTATIONS_FAMILIALES', organisme: 'CAF de la Vendée', statut: 'OBTENU', debut: '2023-04-03', fin: '2023-05-15' },
      { type: 'ACCOMPAGNEMENT_SOIN', organisme: 'CHD Vendée – PASS', statut: 'EN_COURS', debut: '2023-10-02', fin: null },
    ],
    emploi: [
      // FLE courses (IDC Formation), Pôle Emploi registration, application through the "ITOU"
      // platform, exchanges with the ACEMUS chantier d'insertion.
      { categorie: 'FORMATION_LINGUISTIQUE', debut: '2023-02-28' },
      // "L'ACI de la Ville de LRSY valide sa candidature", FLE moved to Monday–Tuesday so he can
      // work Wednesday to Friday. Date not in the seed: the September start of the chantier.
      { categorie: 'INSERTION_ACTIVITE_ECONOMIQUE', debut: '2023-09-01' },
    ],
    // Not in the seed: level and hours consistent with a long FLE course alongside the chantier.
    langue: [{ niveau: 'A1', date: '2023-02-28', heures: 400 }],
  },
};

/** A name-based (v5) uuid: the vignettes' own rows get ids as fixed as the vignettes. */
export function derivedId(name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from('e06e57cdad0d425ba67695c491892fac', 'hex'))
    .update(name)
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The statut on `today` of a parcours with these full stages, `issue` telling how it ends. */
function statutLe(j: Jalons & { diagnostic: Day; commission: Day; contrat: Day; sortie: Day }, positive: boolean, today: Day): StatutParcours {
  if (today >= j.sortie) return positive ? statutApresSortie(j.sortie, today) : 'FIN_DE_DROITS';
  if (today >= j.contrat) return 'CONTRACTUALISE';
  if (today >= j.commission) return 'COMMISSION_REALISEE';
  if (today >= j.diagnostic) return 'DIAGNOSTIC_REALISE';
  // The OFII hands the diagnostic convocation at the CIR signature (seed 002).
  if (today >= j.orientation) return 'CONVOQUE';
  throw new RangeError(`today must be on or after ${PREMIER_JOUR_DES_VIGNETTES}, the last vignette's CIR signature`);
}

/**
 * Periods cut at `today`: those not started yet are dropped, each period ends the day before the
 * next kept one starts (or on its own `fin`, once that has passed), the last one stays open.
 */
function periodesAu<T extends { debut: string; fin?: string }>(periodes: readonly T[], today: Day): Array<T & { dateFin: string | null }> {
  const kept = periodes.filter((p) => day(p.debut) <= today);
  return kept.map((p, i) => {
    const next = kept[i + 1];
    const fin = p.fin !== undefined && day(p.fin) <= today ? p.fin : next ? isoDate(day(next.debut) - 1) : null;
    return { ...p, dateFin: fin };
  });
}

/**
 * Adds the three vignettes to `data`, as they stand on `today`: the statut they have reached, and
 * only the facts dated on or before `today` (a procedure not yet obtained is EN_COURS).
 */
export function buildVignettes(reference: Reference, today: Day, data: DemoData): void {
  for (const key of Object.keys(HISTOIRES) as VignetteKey[]) {
    const h = HISTOIRES[key];
    const { parcoursId, beneficiaireId } = VIGNETTES[key];
    const contrat = day(h.contrat);
    const complets = {
      orientation: day(h.cir),
      diagnostic: day(h.diagnostic),
      commission: day(h.commission),
      contrat,
      sortie: h.issue === 'FIN_DE_DROITS' ? finDeDroits(contrat) : day(h.issue.sortie),
    };
    const statut = statutLe(complets, h.issue !== 'FIN_DE_DROITS', today);
    const atteint = (d: Day): Day | null => (d <= today ? d : null);
    const jalons: Jalons = {
      orientation: complets.orientation,
      diagnostic: atteint(complets.diagnostic),
      commission: atteint(complets.commission),
      contrat: atteint(complets.contrat),
      sortie: atteint(complets.sortie),
    };

    const site = reference.sites.find((s) => s.row.nom === h.site);
    if (!site) throw new RangeError(`vignette ${key}: no site named ${h.site}`);
    const referent = (domaine: 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION', [structure, rank]: [StructureKey, number]): string => {
      const pool = reference.referents.filter((r) => r.departement === h.departement && r.domaine === domaine && r.structure === structure);
      const found = pool[rank];
      if (!found) throw new RangeError(`vignette ${key}: ${structure} has no ${domaine} referent #${rank} in ${h.departement}`);
      return found.row.id;
    };

    let commune = communeByCode(h.residence);
    if (jalons.diagnostic !== null) {
      const ouvertLe = isoDate(jalons.diagnostic);
      data.droitsLogement.dossiers.push({ parcoursId, departement: h.departement, ouvertLe });
      const logement = periodesAu(h.logement, today);
      logement.forEach((p, i) => {
        const c = communeByCode(p.commune);
        commune = c;
        data.droitsLogement.situations.push({
          id: derivedId(`${parcoursId}/logement/${i}`),
          parcoursId,
          categorie: CATEGORIE_PAR_TYPE[p.type],
          type: p.type,
          communeInsee: c.code,
          communeNom: c.nom,
          dateDebut: p.debut,
          dateFin: p.dateFin,
        });
      });
      h.demarches.forEach((d, i) => {
        if (day(d.debut) > today) return;
        const pending = d.fin !== null && day(d.fin) > today;
        data.droitsLogement.demarches.push({
          id: derivedId(`${parcoursId}/demarche/${i}`),
          parcoursId,
          type: d.type,
          statut: pending ? 'EN_COURS' : d.statut,
          organisme: d.organisme,
          dateDebut: d.debut,
          dateFin: pending ? null : d.fin,
        });
      });

      data.emploiFormation.dossiers.push({ parcoursId, departement: h.departement, ouvertLe });
      periodesAu(h.emploi, today).forEach((p, i) => {
        data.emploiFormation.situations.push({
          id: derivedId(`${parcoursId}/emploi/${i}`),
          parcoursId,
          categorie: p.categorie,
          dateDebut: p.debut,
          dateFin: p.dateFin,
        });
      });
      h.langue.forEach((l, i) => {
        if (day(l.date) > today) return;
        data.emploiFormation.evaluations.push({
          id: derivedId(`${parcoursId}/langue/${i}`),
          parcoursId,
          niveauCecrl: l.niveau,
          dateEvaluation: l.date,
          heuresParcoursCir: l.heures,
        });
      });
    }

    data.coordination.beneficiaires.push({
      id: beneficiaireId,
      ...h.identite,
      protection: h.protection,
      dateObtentionProtection: h.dateObtentionProtection,
      rejoignant: false,
      communeInsee: commune.code,
      communeNom: commune.nom,
    });
    data.coordination.parcours.push({
      id: parcoursId,
      beneficiaireId,
      siteId: site.row.id,
      departement: h.departement,
      statut,
      canalOrientation: 'OFII',
      ...colonnesDates(jalons),
      dateSignatureCir: h.cir,
      referentDroitsLogementId: jalons.commission === null ? null : referent('DROITS_LOGEMENT', h.referents.dl),
      referentEmploiFormationId: jalons.commission === null ? null : referent('EMPLOI_FORMATION', h.referents.ef),
      // Entered at the OFII the morning of the CIR; last touched on the latest stage reached.
      creeLe: instantOn(jalons.orientation, 9, 30),
      modifieLe: instantOn(derniereModification(jalons, statut, today), 14, 0),
    });
  }
}
