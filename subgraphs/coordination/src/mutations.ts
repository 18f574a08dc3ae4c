import { refusLogement as refusLogementDe } from './alertes';
import { addMonths, badUserInput, compareDates, enqueueEvent, parseId, today } from '@agir/common';
import type { EntityManager } from 'typeorm';
import { autoriser, autoriserParcours } from './access';
import { calculerEligibilite, type FaitsOrientation } from './eligibilite';
import type { Axe, BeneficiaireRow, CanalOrientation, ParcoursRow, SiteRow } from './entities';
import type { MutationResolvers, ResolversTypes } from './generated/resolvers-types';
import { axesUniques, dateArg, heureArg, optionalDateArg, pasAvant, texte, texteOptionnel } from './inputs';
import type { CoordinationContext } from './loaders';
import { auteurDe, criteresSortieViaGateway, effectuerTransition, emettreChangementReferents, exigerStatut, structuresDuDepartement, parcoursPourEcriture, relire } from './parcours-actions';
import * as present from './presenters';
import { DUREE_MAX_CONTRAT_MOIS } from './rules';
import { parseDepartement } from './stores/parcours-store';
import { noteDoublons, rattacherALaPersonne, verifierPersonneConnue } from './personnes/doublons';

/**
 * The mutations of the parcours. Each one: checks the caller's role (one call to `autoriser`),
 * validates its input (BAD_USER_INPUT naming the field), then writes in one transaction, the
 * history row included; a move the state machine refuses is a TRANSITION_INVALIDE and writes
 * nothing.
 */

const AXES: readonly Axe[] = ['DROITS', 'LOGEMENT', 'EMPLOI', 'FORMATION'];

// ---------------------------------------------------------------------------------------------
// Input parsing

type BeneficiaireInput = ResolversTypes['BeneficiaireInput'];
type ConvocationInput = ResolversTypes['ConvocationInput'];

/**
 * The BPI record a rejoignant points to: it must belong to a parcours or a fiche de liaison of the
 * département the new record is made in (already checked against the caller's). One outside it
 * answers exactly as an unknown id, so that the error tells nobody whether the id exists; both
 * are written to the audit trail.
 */
async function bpiRejoint(ctx: CoordinationContext, id: string, field: string, departement: string): Promise<string> {
  const r = await ctx.loaders.rattachement.load(id);
  const departementBpi = r?.departementParcours ?? r?.departementFiche ?? null;
  if (!r || departementBpi !== departement) {
    ctx.audit.recordRefusal({
      operation: 'WRITE',
      field,
      parcoursId: r?.parcoursId ?? null,
      subject: r?.parcoursId ? null : r?.ficheId ? `fiche_liaison:${r.ficheId}` : `beneficiaire:${id}`,
      reason: r ? `dossier du BPI rattaché au département ${departementBpi ?? 'inconnu'}, pas au ${departement}` : 'identifiant de bénéficiaire inconnu',
    });
    throw badUserInput(`Aucun bénéficiaire ne porte l'identifiant « ${id} » : donnez l'identifiant du dossier du BPI rejoint.`, field);
  }
  return id;
}

async function beneficiaireDepuisInput(ctx: CoordinationContext, b: BeneficiaireInput, field: string, departement: string): Promise<Omit<BeneficiaireRow, 'id'>> {
  let bpiBeneficiaireId: string | null = null;
  if (b.rejoignant) {
    const bpiField = `${field}.rejoignant.bpiBeneficiaireId`;
    bpiBeneficiaireId = await bpiRejoint(ctx, parseId(b.rejoignant.bpiBeneficiaireId, bpiField), bpiField, departement);
  }
  const commune = b.communeResidence;
  if (commune && !/^(\d{5}|2[AB]\d{3})$/.test(commune.codeInsee)) {
    throw badUserInput(`« ${field}.communeResidence.codeInsee » doit être un code INSEE de commune (ex. 44109), reçu « ${commune.codeInsee} ».`, `${field}.communeResidence.codeInsee`);
  }
  return {
    nom: texte(b.nom, `${field}.nom`, 200),
    prenom: texte(b.prenom, `${field}.prenom`, 200),
    dateNaissance: dateArg(b.dateNaissance, `${field}.dateNaissance`),
    sexe: b.sexe,
    paysNaissance: b.paysNaissance ?? null,
    protection: b.protection ?? null,
    dateObtentionProtection: optionalDateArg(b.dateObtentionProtection, `${field}.dateObtentionProtection`),
    rejoignant: b.rejoignant != null,
    lienRejoignant: b.rejoignant?.lien ?? null,
    bpiBeneficiaireId,
    communeInsee: commune?.codeInsee ?? null,
    communeNom: commune ? texte(commune.nom, `${field}.communeResidence.nom`, 200) : null,
    telephone: b.telephone ?? null,
    email: b.email ?? null,
  };
}

function faitsDepuisInput(s: ResolversTypes['SituationEntreeInput'], dateSignatureCir: string | null): FaitsOrientation {
  return {
    dateSignatureCir,
    domicilieDepartement: s.domicilieDansDepartement ?? null,
    resideDepartement: s.resideHabituellementDansDepartement ?? null,
    logementDurable: s.logementDurable ?? null,
    emploiDurable: s.emploiDurable ?? null,
    volontaire: s.volontaire ?? null,
  };
}

interface ConvocationValide {
  site: SiteRow;
  dateRdv: string;
  heure: string;
  contenu: string;
  remiseLe: string;
}

/**
 * A convocation: its site (which sets the parcours's site and département), a day on or after it
 * is handed over, and, when `auPlusTard` is given, within the month the OFII books it in.
 */
async function convocationDepuisInput(ctx: CoordinationContext, c: ConvocationInput, field: string, orientation: string, auPlusTard: string | null): Promise<ConvocationValide> {
  const siteId = parseId(c.siteId, `${field}.siteId`);
  const site = await ctx.loaders.site.load(siteId);
  if (!site) throw badUserInput(`Aucun site ne porte l'identifiant « ${siteId} » : prenez-en un dans la requête sites.`, `${field}.siteId`);
  const remiseLe = c.remiseLe == null ? orientation : dateArg(c.remiseLe, `${field}.remiseLe`);
  pasAvant(remiseLe, orientation, `${field}.remiseLe`, "l'orientation");
  const dateRdv = dateArg(c.date, `${field}.date`, { future: true });
  pasAvant(dateRdv, remiseLe, `${field}.date`, 'la remise de la convocation');
  if (auPlusTard && compareDates(dateRdv, auPlusTard) > 0) {
    throw badUserInput(`Le rendez-vous de diagnostic (${dateRdv}) doit avoir lieu dans le mois qui suit, au plus tard le ${auPlusTard}.`, `${field}.date`);
  }
  return { site, dateRdv, heure: heureArg(c.heure, `${field}.heure`), contenu: texte(c.contenu, `${field}.contenu`, 5000), remiseLe };
}

/** Refuses a person the rules find ineligible (NON); an incomplete record (INCONNU) may enter and be completed. */
async function exigerEligible(ctx: CoordinationContext, b: Omit<BeneficiaireRow, 'id'>, faits: FaitsOrientation, date: string, prefet: { reference: string | null; accordOfii: boolean | null } | null, field: string) {
  const e = await calculerEligibilite(ctx, { id: '', ...b }, faits, date, prefet);
  if (e.resultat.eligible === 'NON') {
    const refus = e.resultat.criteres.filter((c) => c.statut === 'NON_REMPLI');
    throw badUserInput(`La personne n'est pas éligible au programme AGIR : ${refus.map((c) => `${c.critere} : ${c.raison}`).join(' ')}`, field, {
      eligibilite: { eligible: e.resultat.eligible, voie: e.resultat.voie, criteres: e.resultat.criteres },
    });
  }
}

interface NouveauParcours {
  beneficiaireId: string;
  site: SiteRow;
  canal: CanalOrientation;
  dateOrientation: string;
  faits: FaitsOrientation;
  referenceInstructionPrefet?: string | null;
  accordOfii?: boolean | null;
  motif?: string | null;
  numeroDossierOfii?: string | null;
}

/** Creates a parcours (ORIENTE, history row ORIENTER) and, with a convocation, convokes it (CONVOQUE). */
async function creerParcours(ctx: CoordinationContext, m: EntityManager, n: NouveauParcours, convocation: ConvocationValide | null): Promise<string> {
  const id = await ctx.stores.parcours.insert(m, {
    beneficiaireId: n.beneficiaireId,
    siteId: n.site.id,
    departement: n.site.departement,
    statut: convocation ? 'CONVOQUE' : 'ORIENTE',
    canalOrientation: n.canal,
    dateOrientation: n.dateOrientation,
    dateSignatureCir: n.faits.dateSignatureCir,
    dateDiagnostic: null,
    dateCommission: null,
    dateContrat: null,
    dateSortie: null,
    referentDroitsLogementId: null,
    referentEmploiFormationId: null,
    referenceInstructionPrefet: n.referenceInstructionPrefet ?? null,
    accordOfii: n.accordOfii ?? null,
    domicilieDepartement: n.faits.domicilieDepartement ?? null,
    resideDepartement: n.faits.resideDepartement ?? null,
    logementDurable: n.faits.logementDurable ?? null,
    emploiDurable: n.faits.emploiDurable ?? null,
    volontaire: n.faits.volontaire ?? null,
    numeroDossierOfii: n.numeroDossierOfii ?? null,
  });
  const auteur = auteurDe(ctx.viewer);
  await ctx.stores.historique.ajouter(
    m,
    { parcoursId: id, action: 'ORIENTER', statutAvant: null, statutApres: 'ORIENTE', dateEffet: n.dateOrientation, motif: n.motif ?? null, reference: n.referenceInstructionPrefet ?? null },
    auteur,
  );
  if (convocation) {
    await ctx.stores.etapes.ecrireConvocation(m, { parcoursId: id, siteId: convocation.site.id, dateRdv: convocation.dateRdv, heure: convocation.heure, contenu: convocation.contenu, remiseLe: convocation.remiseLe });
    await ctx.stores.historique.ajouter(m, { parcoursId: id, action: 'CONVOQUER', statutAvant: 'ORIENTE', statutApres: 'CONVOQUE', dateEffet: convocation.remiseLe }, auteur);
  }
  // In the creating transaction: an orientation refused or rolled back announces nothing.
  await enqueueEvent(m, {
    type: 'PARCOURS_ORIENTE',
    parcoursId: id,
    structureIds: await structuresDuDepartement(m, n.site.departement),
    payload: {
      parcoursId: id,
      statut: convocation ? 'CONVOQUE' : 'ORIENTE',
      canalOrientation: n.canal,
      dateOrientation: n.dateOrientation,
      departement: n.site.departement,
      siteId: n.site.id,
      ...(convocation ? { dateRdvDiagnostic: convocation.dateRdv } : {}),
    },
  });
  return id;
}

async function referentDuDomaine(ctx: CoordinationContext, id: string | null | undefined, domaine: 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION', field: string): Promise<string | null> {
  if (id == null) return null;
  const referentId = parseId(id, field);
  const referent = await ctx.loaders.referent.load(referentId);
  if (!referent) throw badUserInput(`Aucun référent ne porte l'identifiant « ${referentId} ».`, field);
  const structure = await present.structure(ctx, referent.structureId);
  if (referent.domaine !== domaine || !structure.membreGroupement || !structure.domaines.includes(domaine)) {
    throw badUserInput(
      `${referent.prenom} ${referent.nom} (${structure.nom}) n'est pas un référent ${domaine} d'une structure membre de ce domaine : le binôme réunit un référent DROITS_LOGEMENT et un référent EMPLOI_FORMATION des structures membres.`,
      field,
    );
  }
  return referentId;
}

function planDepuisInput(plan: readonly ResolversTypes['ObjectifAxeInput'][], field: string) {
  if (plan.length === 0) throw badUserInput(`« ${field} » doit contenir au moins un axe et ses objectifs : le plan d'accompagnement est personnalisé.`, field);
  axesUniques(plan, field);
  return plan.map((o, i) => {
    const objectifs = o.objectifs.map((t, j) => texte(t, `${field}[${i}].objectifs[${j}]`, 1000));
    if (objectifs.length === 0) throw badUserInput(`« ${field}[${i}].objectifs » doit contenir au moins un objectif pour l'axe ${o.axe}.`, `${field}[${i}].objectifs`);
    return { axe: o.axe, objectifs };
  });
}

const idParcours = (value: string) => parseId(value, 'parcoursId');

// ---------------------------------------------------------------------------------------------
// The OFII's orientation, shared by `orienterParOfii` and the batch file (import-ofii.ts)

const NUMERO_DOSSIER_OFII = /^[A-Za-z0-9][A-Za-z0-9._\/-]{0,49}$/;

export function numeroDossierOfiiArg(value: string, field: string): string {
  const numero = value.trim();
  if (!NUMERO_DOSSIER_OFII.test(numero)) {
    throw badUserInput(`« ${field} » doit être un numéro de dossier OFII (1 à 50 lettres, chiffres, « - », « _ », « / », « . »), reçu « ${value} ».`, field);
  }
  return numero;
}

/** The parcours already created for an OFII file number, checked against the caller's scope. */
async function parcoursDuDossierOfii(ctx: CoordinationContext, numero: string, field: string): Promise<string | null> {
  const [row] = (await ctx.dataSource.query('SELECT id, departement FROM parcours WHERE numero_dossier_ofii = $1', [numero])) as { id: string; departement: string }[];
  if (!row) return null;
  try {
    autoriserParcours(ctx.viewer, row);
  } catch (error) {
    Object.assign((error as { extensions: Record<string, unknown> }).extensions, { field });
    throw error;
  }
  return row.id;
}

const violationUnicite = (error: unknown) => (error as { code?: string; constraint?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'parcours_numero_dossier_ofii_key';

/**
 * An OFII orientation (the caller's role already checked): validates it (BAD_USER_INPUT naming
 * the `input.*` field), refuses a site outside the caller's départements (FORBIDDEN) or an
 * ineligible person, then creates the identity, the parcours at CONVOQUE and its two history rows
 * in one transaction. Idempotent on `numeroDossierOfii`: a number already received returns its
 * parcours (`dejaImporte`) before any other check and writes nothing; two concurrent calls with
 * the same number create one parcours (the loser of the unique index returns the winner's).
 */
export async function orienterOfii(ctx: CoordinationContext, input: ResolversTypes['OrientationOfiiInput']): Promise<{ parcoursId: string; dejaImporte: boolean }> {
  const numero = input.numeroDossierOfii == null ? null : numeroDossierOfiiArg(input.numeroDossierOfii, 'input.numeroDossierOfii');
  if (numero) {
    const existant = await parcoursDuDossierOfii(ctx, numero, 'input.numeroDossierOfii');
    if (existant) return { parcoursId: existant, dejaImporte: true };
  }
  const dateCir = dateArg(input.dateSignatureCir, 'input.dateSignatureCir');
  // Seed 001: the OFII books the diagnostic "dans un délai d'un mois maximum après la signature du CIR".
  const convocation = await convocationDepuisInput(ctx, input.convocation, 'input.convocation', dateCir, addMonths(dateCir, 1));
  try {
    autoriserParcours(ctx.viewer, convocation.site);
  } catch (error) {
    Object.assign((error as { extensions: Record<string, unknown> }).extensions, { field: 'input.convocation.siteId' });
    throw error;
  }
  const beneficiaire = await beneficiaireDepuisInput(ctx, input.beneficiaire, 'input.beneficiaire', convocation.site.departement);
  const faits = faitsDepuisInput(input.situation, dateCir);
  await exigerEligible(ctx, beneficiaire, faits, dateCir, null, 'input.beneficiaire');
  const connue = await verifierPersonneConnue(ctx, beneficiaire, input.doublon, { canal: 'OFII', field: 'input.doublon' });
  try {
    const parcoursId = await ctx.dataSource.transaction(async (m) => {
      const beneficiaireId = await ctx.stores.reference.insertBeneficiaire(m, beneficiaire);
      const id = await creerParcours(ctx, m, { beneficiaireId, site: convocation.site, canal: 'OFII', dateOrientation: dateCir, faits, numeroDossierOfii: numero, motif: noteDoublons(connue) }, convocation);
      await rattacherALaPersonne(ctx, m, connue, beneficiaireId, "orientation par l'OFII");
      return id;
    });
    return { parcoursId, dejaImporte: false };
  } catch (error) {
    const existant = numero && violationUnicite(error) ? await parcoursDuDossierOfii(ctx, numero, 'input.numeroDossierOfii') : null;
    if (existant) return { parcoursId: existant, dejaImporte: true };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

export const mutations: MutationResolvers = {
  async orienterParOfii(_parent, { input }, ctx) {
    autoriser(ctx.viewer, 'ORIENTER_OFII');
    const { parcoursId } = await orienterOfii(ctx, input);
    return relire(ctx, parcoursId);
  },

  async soumettreFicheLiaison(_parent, { input }, ctx) {
    autoriser(ctx.viewer, 'SOUMETTRE_FICHE_LIAISON');
    const departement = parseDepartement(input.departement, 'input.departement');
    autoriserParcours(ctx.viewer, { departement });
    const beneficiaire = await beneficiaireDepuisInput(ctx, input.beneficiaire, 'input.beneficiaire', departement);
    const dateSignatureCir = optionalDateArg(input.dateSignatureCir, 'input.dateSignatureCir');
    const faits = faitsDepuisInput(input.situation, dateSignatureCir);
    const p = input.prescripteur;
    const ficheId = await ctx.dataSource.transaction(async (m) => {
      const beneficiaireId = await ctx.stores.reference.insertBeneficiaire(m, beneficiaire);
      return ctx.stores.fiches.insert(m, {
        departement,
        statut: 'EN_ATTENTE',
        soumiseLe: today(),
        soumisePar: ctx.viewer.userId,
        prescripteurNom: texte(p.nom, 'input.prescripteur.nom', 200),
        prescripteurStructure: texte(p.structure, 'input.prescripteur.structure', 200),
        prescripteurEmail: p.email ?? null,
        prescripteurTelephone: p.telephone ?? null,
        beneficiaireId,
        dateSignatureCir,
        domicilieDepartement: faits.domicilieDepartement ?? null,
        resideDepartement: faits.resideDepartement ?? null,
        logementDurable: faits.logementDurable ?? null,
        emploiDurable: faits.emploiDurable ?? null,
        volontaire: faits.volontaire ?? null,
        commentaire: texteOptionnel(input.commentaire, 'input.commentaire', 5000),
        dateReponse: null,
        motifRefus: null,
        parcoursId: null,
      });
    });
    const [row] = await ctx.stores.fiches.byIds([ficheId]);
    return present.fiche(ctx, row!);
  },

  async enregistrerReponseOfii(_parent, { ficheId, reponse }, ctx) {
    autoriser(ctx.viewer, 'REPONSE_OFII');
    const id = parseId(ficheId, 'ficheId');
    const date = dateArg(reponse.date, 'reponse.date');
    await ctx.dataSource.transaction(async (m) => {
      const fiche = await ctx.stores.fiches.lockById(m, id);
      if (!fiche) throw badUserInput(`Aucune fiche de liaison ne porte l'identifiant « ${id} » : prenez-la dans la requête fichesLiaison.`, 'ficheId');
      autoriserParcours(ctx.viewer, fiche);
      if (fiche.statut !== 'EN_ATTENTE') {
        throw badUserInput(`Cette fiche de liaison a déjà reçu la réponse de l'OFII (${fiche.statut} le ${fiche.dateReponse}) : une réponse ne se modifie pas.`, 'ficheId', { statut: fiche.statut });
      }
      pasAvant(date, fiche.soumiseLe, 'reponse.date', 'la soumission de la fiche');
      if (reponse.decision === 'REFUSEE') {
        const motifRefus = texte(reponse.motifRefus, 'reponse.motifRefus', 2000);
        await ctx.stores.fiches.repondre(m, id, { statut: 'REFUSEE', dateReponse: date, motifRefus, parcoursId: null });
        return;
      }
      if (!reponse.convocation) throw badUserInput("Une validation par l'OFII s'accompagne du rendez-vous de diagnostic : donnez « reponse.convocation ».", 'reponse.convocation');
      // For a BPI of year N-1 the month runs from the OFII's validation (the orientation).
      const convocation = await convocationDepuisInput(ctx, reponse.convocation, 'reponse.convocation', date, addMonths(date, 1));
      if (convocation.site.departement !== fiche.departement) {
        throw badUserInput(`Le site du rendez-vous est dans le ${convocation.site.departement}, la fiche dans le ${fiche.departement} : choisissez un site du département de la fiche.`, 'reponse.convocation.siteId');
      }
      const beneficiaire = await present.beneficiaire(ctx, fiche.beneficiaireId);
      const faits: FaitsOrientation = fiche;
      await exigerEligible(ctx, beneficiaire, faits, date, null, 'reponse.decision');
      const connue = await verifierPersonneConnue(ctx, beneficiaire, reponse.doublon, { canal: 'FICHE_LIAISON', field: 'reponse.doublon', exclu: fiche.beneficiaireId, m });
      const note = noteDoublons(connue);
      const parcoursId = await creerParcours(ctx, m, { beneficiaireId: fiche.beneficiaireId, site: convocation.site, canal: 'FICHE_LIAISON', dateOrientation: date, faits, motif: `fiche de liaison validée par l’OFII${note ? ` ; ${note}` : ''}` }, convocation);
      await rattacherALaPersonne(ctx, m, connue, fiche.beneficiaireId, 'fiche de liaison validée');
      await ctx.stores.fiches.repondre(m, id, { statut: 'VALIDEE', dateReponse: date, motifRefus: null, parcoursId });
    });
    const [row] = await ctx.stores.fiches.byIds([id]);
    return present.fiche(ctx, row!);
  },

  async enregistrerEntreeSurInstructionPrefet(_parent, { input }, ctx) {
    autoriser(ctx.viewer, 'ENTREE_PREFET');
    const siteId = parseId(input.siteId, 'input.siteId');
    const site = await ctx.loaders.site.load(siteId);
    if (!site) throw badUserInput(`Aucun site ne porte l'identifiant « ${siteId} » : prenez-en un dans la requête sites.`, 'input.siteId');
    autoriserParcours(ctx.viewer, site);
    const date = dateArg(input.date, 'input.date');
    const reference = texte(input.referenceInstruction, 'input.referenceInstruction', 200);
    const beneficiaire = await beneficiaireDepuisInput(ctx, input.beneficiaire, 'input.beneficiaire', site.departement);
    const faits = faitsDepuisInput(input.situation, optionalDateArg(input.dateSignatureCir, 'input.dateSignatureCir'));
    const prefet = { reference, accordOfii: input.accordOfii };
    await exigerEligible(ctx, beneficiaire, faits, date, prefet, 'input');
    const connue = await verifierPersonneConnue(ctx, beneficiaire, input.doublon, { canal: 'PREFET', field: 'input.doublon' });
    const id = await ctx.dataSource.transaction(async (m) => {
      const beneficiaireId = await ctx.stores.reference.insertBeneficiaire(m, beneficiaire);
      const parcoursId = await creerParcours(ctx, m, { beneficiaireId, site, canal: 'PREFET', dateOrientation: date, faits, referenceInstructionPrefet: reference, accordOfii: input.accordOfii, motif: noteDoublons(connue) }, null);
      await rattacherALaPersonne(ctx, m, connue, beneficiaireId, "instruction du représentant de l'État");
      return parcoursId;
    });
    return relire(ctx, id);
  },

  async convoquer(_parent, args, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const parcoursId = idParcours(args.parcoursId);
    const p = await ctx.loaders.parcours.load(parcoursId);
    const c = await convocationDepuisInput(ctx, args.convocation, 'convocation', p?.dateOrientation ?? today(), null);
    return effectuerTransition(ctx, parcoursId, {
      action: 'CONVOQUER',
      date: c.remiseLe,
      async etape(m, _r, row) {
        if (c.site.departement !== row.departement) throw badUserInput(`Le site du rendez-vous est dans le ${c.site.departement}, le parcours dans le ${row.departement}.`, 'convocation.siteId');
        await ctx.stores.etapes.ecrireConvocation(m, { parcoursId: row.id, siteId: c.site.id, dateRdv: c.dateRdv, heure: c.heure, contenu: c.contenu, remiseLe: c.remiseLe });
      },
    });
  },

  async realiserDiagnostic(_parent, { parcoursId, diagnostic: d }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const id = idParcours(parcoursId);
    const date = dateArg(d.date, 'diagnostic.date');
    const professionnel = texte(d.professionnel, 'diagnostic.professionnel', 200);
    axesUniques(d.axes, 'diagnostic.axes', AXES);
    const axes = d.axes.map((a, i) => ({ axe: a.axe, observations: texte(a.observations, `diagnostic.axes[${i}].observations`, 5000) }));
    return effectuerTransition(ctx, id, {
      action: 'REALISER_DIAGNOSTIC',
      date,
      colonnes: () => ({ dateDiagnostic: date }),
      etape: (m) => ctx.stores.etapes.ecrireDiagnostic(m, { parcoursId: id, dateDiagnostic: date, professionnel, axes, prioriteRecommandee: d.prioriteRecommandee, signeParBeneficiaire: d.signeParBeneficiaire }),
    });
  },

  async tenirCommission(_parent, { parcoursId, commission: c }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const id = idParcours(parcoursId);
    const date = dateArg(c.date, 'commission.date');
    const bassinDeVie = texte(c.bassinDeVie, 'commission.bassinDeVie', 200);
    const partenaireIds = [...new Set(c.partenaireIds.map((p, i) => parseId(p, `commission.partenaireIds[${i}]`)))];
    for (const [i, pid] of partenaireIds.entries()) {
      if (!(await ctx.loaders.structure.load(pid))) throw badUserInput(`Aucune structure ne porte l'identifiant « ${pid} » : prenez-la dans la requête structures.`, `commission.partenaireIds[${i}]`);
    }
    const dl = await referentDuDomaine(ctx, c.referentDroitsLogementId, 'DROITS_LOGEMENT', 'commission.referentDroitsLogementId');
    const ef = await referentDuDomaine(ctx, c.referentEmploiFormationId, 'EMPLOI_FORMATION', 'commission.referentEmploiFormationId');
    return effectuerTransition(ctx, id, {
      action: 'TENIR_COMMISSION',
      date,
      colonnes: () => ({ dateCommission: date, referentDroitsLogementId: dl, referentEmploiFormationId: ef }),
      etape: (m) => ctx.stores.etapes.ecrireCommission(m, { parcoursId: id, dateCommission: date, priorite: c.priorite, bassinDeVie, partenaireIds }),
    });
  },

  async designerBinome(_parent, args, ctx) {
    autoriser(ctx.viewer, 'CONTENU_ETAPE');
    const id = idParcours(args.parcoursId);
    const dl = await referentDuDomaine(ctx, args.referentDroitsLogementId, 'DROITS_LOGEMENT', 'referentDroitsLogementId');
    const ef = await referentDuDomaine(ctx, args.referentEmploiFormationId, 'EMPLOI_FORMATION', 'referentEmploiFormationId');
    await ctx.dataSource.transaction(async (m) => {
      const p = await parcoursPourEcriture(ctx, m, id);
      exigerStatut(p, ['COMMISSION_REALISEE', 'CONTRACTUALISE'], 'La désignation du binôme');
      const binome = { referentDroitsLogementId: dl ?? p.referentDroitsLogementId, referentEmploiFormationId: ef ?? p.referentEmploiFormationId };
      await ctx.stores.parcours.update(m, id, binome);
      await emettreChangementReferents(m, p, { ...p, ...binome }, today());
    });
    return relire(ctx, id);
  },

  async contractualiser(_parent, { parcoursId, contrat: c }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const id = idParcours(parcoursId);
    const date = dateArg(c.dateSignature, 'contrat.dateSignature');
    const dateFin = optionalDateArg(c.dateFin, 'contrat.dateFin', { future: true });
    if (dateFin != null) {
      const maximum = addMonths(date, DUREE_MAX_CONTRAT_MOIS);
      if (compareDates(dateFin, date) <= 0 || compareDates(dateFin, maximum) > 0) {
        throw badUserInput(`« contrat.dateFin » (${dateFin}) doit suivre la signature (${date}) de 24 mois au plus, soit au plus tard le ${maximum}.`, 'contrat.dateFin');
      }
    }
    const plan = planDepuisInput(c.plan, 'contrat.plan');
    return effectuerTransition(ctx, id, {
      action: 'CONTRACTUALISER',
      date,
      contexte: { dateFinContrat: dateFin },
      colonnes: (r) => ({ dateContrat: date, dateFinContrat: r.dateFinContrat ?? null }),
      etape: (m, r) => ctx.stores.etapes.ecrireContrat(m, { parcoursId: id, dateSignature: date, dateFin: r.dateFinContrat!, plan }),
    });
  },

  async refuserContrat(_parent, { parcoursId, fin }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    return finDeParcours(ctx, parcoursId, 'REFUSER_CONTRAT', fin, true);
  },

  async abandonner(_parent, { parcoursId, fin }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    return finDeParcours(ctx, parcoursId, 'ABANDONNER', fin, true);
  },

  async constaterFinDeDroits(_parent, { parcoursId, fin }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    return finDeParcours(ctx, parcoursId, 'CONSTATER_FIN_DE_DROITS', fin, true);
  },

  async clore(_parent, { parcoursId, fin }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    return finDeParcours(ctx, parcoursId, 'CLORE', fin, false);
  },

  async exclure(_parent, { parcoursId, exclusion }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const id = idParcours(parcoursId);
    const date = dateArg(exclusion.date, 'exclusion.date');
    const commentaire = texteOptionnel(exclusion.commentaire, 'exclusion.commentaire');
    const actuel = await ctx.loaders.parcours.load(id);
    if (actuel) autoriserParcours(ctx.viewer, actuel);
    // Two refused offers are Droits & Logement's to count: asked through the gateway as the caller.
    const compte = exclusion.motif === 'DEUX_REFUS_LOGEMENT' && actuel ? (await refusLogementDe(ctx, [id])).refus : null;
    const refusLogement = compte ? (compte.get(id) ?? 0) : null;
    return effectuerTransition(ctx, id, {
      action: 'EXCLURE',
      date,
      motif: commentaire ? `${exclusion.motif} : ${commentaire}` : exclusion.motif,
      contexte: { motifExclusion: exclusion.motif, refusLogement },
      colonnes: () => ({ dateSortie: date, motifExclusion: exclusion.motif, motifFin: commentaire }),
    });
  },

  async sortir(_parent, { parcoursId, sortie }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const id = idParcours(parcoursId);
    const date = dateArg(sortie.date, 'sortie.date');
    const motif = texte(sortie.motif, 'sortie.motif', 2000);
    const actuel = await ctx.loaders.parcours.load(id);
    if (actuel) autoriserParcours(ctx.viewer, actuel);
    // Only a parcours that could leave is worth asking the domains about.
    const criteres = actuel?.statut === 'CONTRACTUALISE' ? await criteresSortieViaGateway(ctx, id, date) : null;
    return effectuerTransition(ctx, id, {
      action: 'SORTIR',
      date,
      motif,
      contexte: { criteresSortieRemplis: criteres ? criteres.rempli : null },
      details: criteres ? { criteresSortie: criteres } : undefined,
      colonnes: () => ({ dateSortie: date, motifFin: motif }),
    });
  },

  async realiserSuivi(_parent, { parcoursId, suivi }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const id = idParcours(parcoursId);
    const date = dateArg(suivi.date, 'suivi.date');
    const resultat = texte(suivi.resultat, 'suivi.resultat', 5000);
    return effectuerTransition(ctx, id, {
      action: suivi.echeance === 'TROIS_MOIS' ? 'REALISER_SUIVI_3_MOIS' : 'REALISER_SUIVI_6_MOIS',
      date,
      etape: (m) => ctx.stores.etapes.ecrireSuivi(m, { parcoursId: id, echeance: suivi.echeance, dateEntretien: date, resultat }),
    });
  },

  async reintegrer(_parent, { parcoursId, reintegration }, ctx) {
    autoriser(ctx.viewer, 'FAIRE_AVANCER_PARCOURS');
    const id = idParcours(parcoursId);
    const date = dateArg(reintegration.date, 'reintegration.date');
    const reference = texte(reintegration.referenceAccordPrefet, 'reintegration.referenceAccordPrefet', 200);
    return effectuerTransition(ctx, id, {
      action: 'REINTEGRER',
      date,
      motif: texteOptionnel(reintegration.motif, 'reintegration.motif'),
      reference,
      contexte: { referenceAccordPrefet: reference },
      colonnes: (r) => ({ dateReintegration: date, dateFinContrat: r.dateFinContrat ?? null, referenceAccordPrefet: reference }),
    });
  },

  async enregistrerEvaluation(_parent, { parcoursId, evaluation: e }, ctx) {
    autoriser(ctx.viewer, 'CONTENU_ETAPE');
    const id = idParcours(parcoursId);
    const date = dateArg(e.date, 'evaluation.date');
    if (e.axes.length === 0) throw badUserInput("« evaluation.axes » doit apprécier au moins un axe de l'accompagnement.", 'evaluation.axes');
    axesUniques(e.axes, 'evaluation.axes');
    const axes = e.axes.map((a, i) => ({ axe: a.axe, appreciation: texte(a.appreciation, `evaluation.axes[${i}].appreciation`, 5000) }));
    await ctx.dataSource.transaction(async (m) => {
      const p = await parcoursPourEcriture(ctx, m, id);
      exigerStatut(p, ['DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE', 'CONTRACTUALISE', 'SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS'], 'Une évaluation individuelle');
      pasAvant(date, p.dateDiagnostic, 'evaluation.date', 'le diagnostic');
      await ctx.stores.etapes.ecrireEvaluation(m, { parcoursId: id, type: e.type, dateEvaluation: date, axes });
    });
    ctx.loaders.evaluations.clear(id);
    return relire(ctx, id);
  },

  async enregistrerAtelier(_parent, { input }, ctx) {
    autoriser(ctx.viewer, 'ATELIERS');
    const siteId = parseId(input.siteId, 'input.siteId');
    const site = await ctx.loaders.site.load(siteId);
    if (!site) throw badUserInput(`Aucun site ne porte l'identifiant « ${siteId} » : prenez-en un dans la requête sites.`, 'input.siteId');
    autoriserParcours(ctx.viewer, site);
    const date = dateArg(input.date, 'input.date');
    const participantIds = [...new Set(input.participantIds.map((p, i) => parseId(p, `input.participantIds[${i}]`)))];
    const participants = await ctx.loaders.parcours.loadMany(participantIds);
    participants.forEach((p, i) => {
      if (!p || p instanceof Error) throw badUserInput(`Aucun parcours ne porte l'identifiant « ${participantIds[i]} ».`, `input.participantIds[${i}]`);
      autoriserParcours(ctx.viewer, p);
    });
    const atelierId = await ctx.dataSource.transaction((m) =>
      ctx.stores.ateliers.insert(m, { dateAtelier: date, siteId, departement: site.departement, theme: input.theme, intitule: texteOptionnel(input.intitule, 'input.intitule', 500) }, participantIds),
    );
    const [row] = await ctx.stores.ateliers.byIds([atelierId]);
    return present.atelier(ctx, row!);
  },

  async enregistrerConvention(_parent, { input }, ctx) {
    autoriser(ctx.viewer, 'CONVENTIONS');
    const structureId = parseId(input.structureId, 'input.structureId');
    const structure = await ctx.loaders.structure.load(structureId);
    if (!structure) throw badUserInput(`Aucune structure ne porte l'identifiant « ${structureId} » : prenez-la dans la requête structures.`, 'input.structureId');
    const dateSignature = optionalDateArg(input.dateSignature, 'input.dateSignature');
    if ((input.etat === 'SIGNEE') !== (dateSignature != null)) {
      throw badUserInput('Une convention SIGNEE a une date de signature, une convention EN_COURS n’en a pas.', 'input.dateSignature');
    }
    const departement = input.departement == null ? null : parseDepartement(input.departement, 'input.departement');
    const row = await ctx.stores.reference.ecrireConvention({ structureId, intitule: texte(input.intitule, 'input.intitule', 500), etat: input.etat, departement, dateSignature });
    return present.convention(row, structure);
  },
};

/** The moves that end (or close) a parcours with a date and an optional reason. */
async function finDeParcours(
  ctx: CoordinationContext,
  parcoursId: string,
  action: 'REFUSER_CONTRAT' | 'ABANDONNER' | 'CONSTATER_FIN_DE_DROITS' | 'CLORE',
  fin: ResolversTypes['FinParcoursInput'],
  dateDeFin: boolean,
): Promise<ParcoursRow> {
  const id = idParcours(parcoursId);
  const date = dateArg(fin.date, 'fin.date');
  const motif = texteOptionnel(fin.motif, 'fin.motif');
  return effectuerTransition(ctx, id, {
    action,
    date,
    motif,
    colonnes: () => (dateDeFin ? { dateSortie: date, motifFin: motif } : {}),
  });
}
