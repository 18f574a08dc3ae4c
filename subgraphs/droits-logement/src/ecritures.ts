/**
 * The domain's writes, one function per mutation. Each one checks its input, asks Coordination
 * (through the gateway, as the caller) whether the parcours is in accompaniment and whether the
 * caller is its Droits & Logement referent, then writes in ONE transaction: any refusal, from the
 * rules or from the database, leaves nothing written. The rules themselves live in `rules/`.
 */
import {
  badUserInput,
  enqueueEvent,
  ErrorCode,
  notFound,
  requireParcoursEnAccompagnement,
  requireReferentDuBinome,
  verifierDateDuParcours,
  type EtatParcours,
  type IsoDate,
  compareDates,
  addMonths,
} from '@agir/common';
import { GraphQLError } from 'graphql';
import type { EntityManager } from 'typeorm';
import { CATEGORIE_PAR_TYPE, type DemandeLogementSocialRow, type DemarcheDroitRow, type IncidentLogementRow, type MesureLogementRow, type PropositionLogementRow, type SituationLogementRow, type TypologieLogement } from './entities';
import type {
  AjouterMesureAccompagnementLogementInput,
  ChangerSituationLogementInput,
  ChangerStatutDemarcheInput,
  CreerDemarcheDroitInput,
  EnregistrerDemandeLogementSocialInput,
  EnregistrerPropositionLogementInput,
  EnregistrerSituationLogementInput,
  RenouvelerDemandeLogementSocialInput,
  RepondrePropositionLogementInput,
  ResoudreIncidentLogementInput,
  SignalerIncidentLogementInput,
} from './generated/resolvers-types';
import { communeArgument, dateArgument, idArgument, optionalDateArgument, optionalTexteArgument, texteArgument } from './inputs';
import type { DroitsLogementContext } from './loaders';
import {
  changerStatutDemarche as changerStatut,
  ChangementDemarcheInvalide,
  HistoriqueLogementInvalide,
  nommerPeriode,
  nouvelleDemarche,
  PropositionLogementInvalide,
  situationCourante,
  TransitionDemarcheInvalide,
  validerHistorique,
  validerProposition,
  type Demarche,
} from './rules';
import { EcrituresStore } from './stores/ecritures-store';

/** A date a write records, checked against the parcours's time (`verifierDateDuParcours`). */
interface DateDuFait {
  date: IsoDate;
  field: string;
  /** A fact of the accompaniment (not before the orientation), rather than a period that may have begun before it. */
  evenement: boolean;
  /** A booked step (a move on a known day): it may be dated after today. */
  prevu?: boolean;
}

/**
 * Runs `ecrire` for `parcoursId` once the parcours is known to be in accompaniment and the caller
 * its D&L referent, and the write's `dates` within the parcours's time, in one transaction that
 * first opens (on the first write) and locks the dossier.
 */
async function dansLeDossier<T>(
  ctx: DroitsLogementContext,
  parcoursId: string,
  ecrire: (store: EcrituresStore, etat: EtatParcours, em: EntityManager) => Promise<T>,
  dates: DateDuFait[] = [],
): Promise<T> {
  let etat: EtatParcours;
  try {
    etat = await requireParcoursEnAccompagnement(ctx.gateway, parcoursId);
  } catch (error) {
    // Coordination hides the parcours from a caller outside its binôme (and outside the other
    // readers it allows): the write is refused for this domain's own reason, role or binôme.
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.FORBIDDEN) {
      requireReferentDuBinome(ctx.viewer, { id: parcoursId, statut: '', departement: '', referentDroitsLogement: null, referentEmploiFormation: null }, 'DROITS_LOGEMENT');
    }
    throw error;
  }
  requireReferentDuBinome(ctx.viewer, etat, 'DROITS_LOGEMENT');
  for (const d of dates) verifierDateDuParcours(etat, d.date, d.field, { evenement: d.evenement, prevu: d.prevu ?? false });
  return ctx.dataSource.transaction(async (em) => {
    const store = new EcrituresStore(em);
    await store.ouvrirDossier(parcoursId, etat.departement, ctx.loaders.jour);
    return ecrire(store, etat, em);
  });
}


/** The parcours of a record designated by id, or NOT_FOUND. */
async function parcoursDe(ctx: DroitsLogementContext, table: Parameters<DroitsLogementContext['loaders']['store']['parcoursDe']>[0], id: string, entite: string): Promise<string> {
  const parcoursId = await ctx.loaders.store.parcoursDe(table, id);
  if (!parcoursId) throw notFound(entite, id);
  return parcoursId;
}

function transitionInvalide(message: string, details: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.TRANSITION_INVALIDE, ...details } });
}

// --- Housing situations ----------------------------------------------------------------------

/** Refuses a history in which the new or changed periods overlap another or end before they start. */
function verifierHistorique(historique: SituationLogementRow[], touchees: SituationLogementRow[], champ: string): void {
  try {
    validerHistorique(historique);
  } catch (error) {
    if (!(error instanceof HistoriqueLogementInvalide)) throw error;
    // Only the problems this write causes: an incoherence already stored is not the caller's doing.
    const problemes = (error.problemes as { nature: string; periodes: SituationLogementRow[]; message: string }[]).filter((p) =>
      p.periodes.some((periode) => touchees.includes(periode)),
    );
    if (problemes.length > 0) {
      throw badUserInput(`Historique de logement incohérent : ${problemes.map((p) => p.message).join(' ')}`, champ, {
        problemes: problemes.map((p) => p.nature),
      });
    }
  }
}

/**
 * LOGEMENT_ENTREE, in the write's transaction: the person entered the housing situation `s`
 * (codes and dates only: no address, no landlord). It goes to the subscriptions of the writer's
 * structure only: the writer is the binôme's D&L referent (dansLeDossier refuses anyone else), so
 * that is the structure accompanying the person in this domain. Other member associations may not
 * read this domain's facts of the person (binôme and consent rules), so they are not told either.
 */
async function annoncerEntreeLogement(ctx: DroitsLogementContext, em: EntityManager, s: SituationLogementRow, statut: string): Promise<void> {
  await enqueueEvent(em, {
    type: 'LOGEMENT_ENTREE',
    parcoursId: s.parcoursId,
    structureIds: [ctx.viewer.structureId],
    payload: {
      parcoursId: s.parcoursId,
      statut,
      situationLogementId: s.id,
      type: s.type,
      categorie: s.categorie,
      communeInsee: s.communeInsee,
      dateDebut: s.dateDebut,
      dateFin: s.dateFin,
    },
  });
}

export async function enregistrerSituationLogement(ctx: DroitsLogementContext, input: EnregistrerSituationLogementInput): Promise<SituationLogementRow> {
  const parcoursId = idArgument(input.parcoursId, 'input.parcoursId');
  const dateDebut = dateArgument(input.dateDebut, 'input.dateDebut');
  const dateFin = optionalDateArgument(input.dateFin, 'input.dateFin');
  const commune = input.communeInsee == null ? null : communeArgument(input.communeInsee, 'input.communeInsee');
  return dansLeDossier(ctx, parcoursId, async (store, etat, em) => {
    const historique = await store.historique(parcoursId);
    const nouvelle: SituationLogementRow = {
      id: '',
      parcoursId,
      categorie: CATEGORIE_PAR_TYPE[input.type],
      type: input.type,
      communeInsee: commune?.codeInsee ?? null,
      communeNom: commune?.nom ?? null,
      dateDebut,
      dateFin,
    };
    verifierHistorique([...historique, nouvelle], [nouvelle], 'input.dateDebut');
    const { id: _id, ...row } = nouvelle;
    const inseree = await store.insererSituation(row);
    await annoncerEntreeLogement(ctx, em, inseree, etat.statut);
    return inseree;
  }, [{ date: dateDebut, field: 'input.dateDebut', evenement: false }]);
}

export async function changerSituationLogement(ctx: DroitsLogementContext, input: ChangerSituationLogementInput): Promise<SituationLogementRow> {
  const parcoursId = idArgument(input.parcoursId, 'input.parcoursId');
  const date = dateArgument(input.date, 'input.date');
  const commune = input.communeInsee == null ? null : communeArgument(input.communeInsee, 'input.communeInsee');
  return dansLeDossier(ctx, parcoursId, async (store, etat, em) => {
    const historique = await store.historique(parcoursId);
    const ancienne = situationCourante(historique, date);
    if (!ancienne || ancienne.dateFin !== null) {
      throw badUserInput(
        ancienne
          ? `La situation en cours au ${date} (${nommerPeriode(ancienne)}) a déjà une fin : un changement termine une situation sans fin. Enregistrez la nouvelle période avec enregistrerSituationLogement.`
          : `Aucune situation de logement n'est en cours au ${date} : enregistrez d'abord la situation d'entrée (enregistrerSituationLogement), ou choisissez une date couverte par une situation en cours.`,
        'input.date',
      );
    }
    if (ancienne.dateDebut === date) {
      throw badUserInput(
        `La situation ${nommerPeriode(ancienne)} commence le jour du changement : indiquez un changement postérieur au ${date}, ou corrigez la situation existante.`,
        'input.date',
      );
    }
    const terminee = { ...ancienne, dateFin: date };
    const nouvelle: SituationLogementRow = {
      id: '',
      parcoursId,
      categorie: CATEGORIE_PAR_TYPE[input.type],
      type: input.type,
      communeInsee: commune?.codeInsee ?? null,
      communeNom: commune?.nom ?? null,
      dateDebut: date,
      dateFin: null,
    };
    verifierHistorique([...historique.filter((s) => s !== ancienne), terminee, nouvelle], [terminee, nouvelle], 'input.date');
    await store.terminerSituation(ancienne.id, date);
    const { id: _id, ...row } = nouvelle;
    const inseree = await store.insererSituation(row);
    await annoncerEntreeLogement(ctx, em, inseree, etat.statut);
    return inseree;
  }, [{ date, field: 'input.date', evenement: true, prevu: true }]);
}

// --- Rights procedures -----------------------------------------------------------------------

/**
 * Health stays minimal (DESIGN.md §2, rules/demarches.ts): for an orientation towards care no free
 * text is kept, neither the organisation (its name alone can reveal a condition) nor a comment.
 */
function refuserTexteSante(type: string, valeur: string | null, champ: string): void {
  if (type === 'ACCOMPAGNEMENT_SOIN' && valeur !== null) {
    throw badUserInput(
      `Pour l'accompagnement vers le soin, seule l'existence de l'orientation est enregistrée : retirez le champ « ${champ} » (aucune information de santé n'est conservée).`,
      champ,
    );
  }
}

export async function creerDemarcheDroit(ctx: DroitsLogementContext, input: CreerDemarcheDroitInput): Promise<DemarcheDroitRow> {
  const parcoursId = idArgument(input.parcoursId, 'input.parcoursId');
  const date = dateArgument(input.date, 'input.date');
  const organisme = optionalTexteArgument(input.organisme, 'input.organisme');
  refuserTexteSante(input.type, organisme, 'input.organisme');
  const demarche = nouvelleDemarche(input.type, date);
  return dansLeDossier(ctx, parcoursId, (store) =>
    store.insererDemarche({
      parcoursId,
      type: demarche.type,
      statut: demarche.statut,
      organisme,
      dateDebut: demarche.dateDebut,
      dateFin: demarche.dateFin,
      motifBlocage: null,
      commentaireBlocage: null,
      bloqueeDepuis: null,
      dernierChangement: demarche.dernierChangement,
    }),
    [{ date, field: 'input.date', evenement: true }],
  );
}

export async function changerStatutDemarche(ctx: DroitsLogementContext, input: ChangerStatutDemarcheInput): Promise<DemarcheDroitRow> {
  const demarcheId = idArgument(input.demarcheId, 'input.demarcheId');
  const date = dateArgument(input.date, 'input.date');
  const parcoursId = await parcoursDe(ctx, 'demarche_droit', demarcheId, 'démarche');
  return dansLeDossier(ctx, parcoursId, async (store) => {
    const row = await store.demarche(demarcheId);
    if (!row) throw notFound('démarche', demarcheId);
    const commentaire = optionalTexteArgument(input.blocage?.commentaire, 'input.blocage.commentaire', 500);
    refuserTexteSante(row.type, commentaire, 'input.blocage.commentaire');
    const avant: Demarche = {
      type: row.type as Demarche['type'],
      statut: row.statut,
      dateDebut: row.dateDebut,
      dateFin: row.dateFin,
      bloqueeDepuis: row.bloqueeDepuis ?? null,
      blocage: row.motifBlocage ? { motif: row.motifBlocage, commentaire: row.commentaireBlocage ?? null } : null,
      dernierChangement: row.dernierChangement ?? null,
    };
    let apres: Demarche;
    try {
      apres = changerStatut(avant, input.statut, { date, blocage: input.blocage ? { motif: input.blocage.motif, commentaire } : null });
    } catch (error) {
      if (error instanceof TransitionDemarcheInvalide) {
        throw transitionInvalide(error.message, { statutActuel: error.statutActuel, statutDemande: error.statutDemande, statutsPermis: error.statutsPermis });
      }
      if (error instanceof ChangementDemarcheInvalide) throw badUserInput(error.message, `input.${error.champ}`, { probleme: error.probleme });
      throw error;
    }
    const suivante: DemarcheDroitRow = {
      ...row,
      statut: apres.statut,
      dateDebut: apres.dateDebut,
      dateFin: apres.dateFin,
      bloqueeDepuis: apres.bloqueeDepuis,
      motifBlocage: apres.blocage?.motif ?? null,
      commentaireBlocage: apres.blocage?.commentaire ?? null,
      dernierChangement: apres.dernierChangement,
    };
    await store.majDemarche(suivante);
    return suivante;
  }, [{ date, field: 'input.date', evenement: true }]);
}

// --- Social-housing application --------------------------------------------------------------

/** A social-housing application must be renewed every year (from its filing or last renewal). */
export function echeanceRenouvellement(demande: Pick<DemandeLogementSocialRow, 'dateDepot' | 'renouvellements'>): IsoDate {
  const derniere = demande.renouvellements[demande.renouvellements.length - 1] ?? demande.dateDepot;
  return addMonths(derniere, 12);
}

const NUMERO_UNIQUE = /^[0-9A-Z]{8,30}$/;

export async function enregistrerDemandeLogementSocial(ctx: DroitsLogementContext, input: EnregistrerDemandeLogementSocialInput): Promise<DemandeLogementSocialRow> {
  const parcoursId = idArgument(input.parcoursId, 'input.parcoursId');
  const dateDepot = dateArgument(input.dateDepot, 'input.dateDepot');
  const numeroUnique = input.numeroUnique.replace(/[\s-]/g, '').toUpperCase();
  if (!NUMERO_UNIQUE.test(numeroUnique)) {
    throw badUserInput(
      `Numéro unique invalide : « ${input.numeroUnique} ». Indiquez le numéro unique d'enregistrement de la demande (8 à 30 chiffres ou lettres, tel qu'il figure sur l'attestation d'enregistrement).`,
      'input.numeroUnique',
    );
  }
  if (input.communesSouhaitees.length === 0) throw badUserInput('Indiquez au moins une commune souhaitée (code INSEE, ex. 44109 pour Nantes).', 'input.communesSouhaitees');
  const communes = [...new Set(input.communesSouhaitees.map((code, i) => communeArgument(code, `input.communesSouhaitees[${i}]`).codeInsee))];
  if (input.typologiesSouhaitees.length === 0) throw badUserInput('Indiquez au moins une typologie souhaitée (T1 à T5_ET_PLUS).', 'input.typologiesSouhaitees');
  const typologies = [...new Set(input.typologiesSouhaitees)] as TypologieLogement[];
  return dansLeDossier(ctx, parcoursId, async (store) => {
    const existante = await store.demande({ parcoursId });
    if (existante) {
      throw badUserInput(
        `Une demande de logement social est déjà enregistrée pour ce parcours (numéro unique ${existante.numeroUnique}, déposée le ${existante.dateDepot}) : renouvelez-la avec renouvelerDemandeLogementSocial.`,
        'input.parcoursId',
      );
    }
    return store.insererDemande({ parcoursId, numeroUnique, dateDepot, communesSouhaitees: communes, typologiesSouhaitees: typologies });
  }, [{ date: dateDepot, field: 'input.dateDepot', evenement: false }]);
}

export async function renouvelerDemandeLogementSocial(ctx: DroitsLogementContext, input: RenouvelerDemandeLogementSocialInput): Promise<DemandeLogementSocialRow> {
  const demandeId = idArgument(input.demandeId, 'input.demandeId');
  const date = dateArgument(input.date, 'input.date');
  const parcoursId = await parcoursDe(ctx, 'demande_logement_social', demandeId, 'demande de logement social');
  return dansLeDossier(ctx, parcoursId, async (store) => {
    const demande = await store.demande({ id: demandeId });
    if (!demande) throw notFound('demande de logement social', demandeId);
    const derniere = demande.renouvellements[demande.renouvellements.length - 1] ?? demande.dateDepot;
    if (compareDates(date, derniere) <= 0) {
      throw badUserInput(`Le renouvellement du ${date} doit être postérieur au ${derniere} (dépôt ou dernier renouvellement) : indiquez une date postérieure.`, 'input.date');
    }
    await store.ajouterRenouvellement(demandeId, date);
    return { ...demande, renouvellements: [...demande.renouvellements, date] };
  }, [{ date, field: 'input.date', evenement: true }]);
}

// --- Housing offers --------------------------------------------------------------------------

export async function enregistrerPropositionLogement(ctx: DroitsLogementContext, input: EnregistrerPropositionLogementInput): Promise<PropositionLogementRow> {
  const parcoursId = idArgument(input.parcoursId, 'input.parcoursId');
  const date = dateArgument(input.date, 'input.date');
  const bailleur = texteArgument(input.bailleur, 'input.bailleur', 'le bailleur qui propose le logement');
  const commune = communeArgument(input.communeInsee, 'input.communeInsee');
  return dansLeDossier(ctx, parcoursId, (store) =>
    store.insererProposition({
      parcoursId,
      date,
      bailleur,
      typologie: input.typologie,
      communeInsee: commune.codeInsee,
      communeNom: commune.nom,
      reponse: 'EN_ATTENTE',
      dateReponse: null,
      motifRefus: null,
    }),
    [{ date, field: 'input.date', evenement: true }],
  );
}

export async function repondrePropositionLogement(ctx: DroitsLogementContext, input: RepondrePropositionLogementInput): Promise<PropositionLogementRow> {
  const propositionId = idArgument(input.propositionId, 'input.propositionId');
  const date = dateArgument(input.date, 'input.date');
  if (input.reponse === 'EN_ATTENTE') {
    throw badUserInput('Une réponse est ACCEPTEE ou REFUSEE : EN_ATTENTE est l\'état d\'une proposition sans réponse.', 'input.reponse');
  }
  const parcoursId = await parcoursDe(ctx, 'proposition_logement', propositionId, 'proposition de logement');
  return dansLeDossier(ctx, parcoursId, async (store) => {
    const proposition = await store.proposition(propositionId);
    if (!proposition) throw notFound('proposition de logement', propositionId);
    if (proposition.reponse !== 'EN_ATTENTE') {
      throw transitionInvalide(
        `La proposition du ${proposition.date} a déjà reçu une réponse (${proposition.reponse} le ${proposition.dateReponse}) : une réponse ne se modifie pas.`,
        { reponseActuelle: proposition.reponse },
      );
    }
    try {
      validerProposition({ date: proposition.date, reponse: input.reponse, motifRefus: input.motifRefus ?? null });
    } catch (error) {
      if (error instanceof PropositionLogementInvalide) throw badUserInput(error.message, `input.${error.champ}`, { probleme: error.probleme });
      throw error;
    }
    if (compareDates(date, proposition.date) < 0) {
      throw badUserInput(`La réponse du ${date} précède la proposition du ${proposition.date} : indiquez une date égale ou postérieure.`, 'input.date');
    }
    const motifRefus = input.reponse === 'REFUSEE' ? texteArgument(input.motifRefus ?? '', 'input.motifRefus', 'le motif du refus', 500) : null;
    await store.majReponse(propositionId, input.reponse, date, motifRefus);
    return { ...proposition, reponse: input.reponse, dateReponse: date, motifRefus };
  }, [{ date, field: 'input.date', evenement: true }]);
}

// --- Installation and maintenance in housing -------------------------------------------------

export async function ajouterMesureAccompagnementLogement(ctx: DroitsLogementContext, input: AjouterMesureAccompagnementLogementInput): Promise<MesureLogementRow> {
  const parcoursId = idArgument(input.parcoursId, 'input.parcoursId');
  const dateDebut = dateArgument(input.dateDebut, 'input.dateDebut');
  const dateFin = optionalDateArgument(input.dateFin, 'input.dateFin');
  if (dateFin !== null && compareDates(dateFin, dateDebut) < 0) {
    throw badUserInput(`La mesure se termine (${dateFin}) avant de commencer (${dateDebut}) : la date de fin doit être égale ou postérieure à la date de début.`, 'input.dateFin');
  }
  return dansLeDossier(ctx, parcoursId, (store) => store.insererMesure({ parcoursId, type: input.type, dateDebut, dateFin }), [{ date: dateDebut, field: 'input.dateDebut', evenement: true }]);
}

export async function signalerIncidentLogement(ctx: DroitsLogementContext, input: SignalerIncidentLogementInput): Promise<IncidentLogementRow> {
  const parcoursId = idArgument(input.parcoursId, 'input.parcoursId');
  const date = dateArgument(input.date, 'input.date');
  return dansLeDossier(ctx, parcoursId, (store) => store.insererIncident({ parcoursId, type: input.type, date, dateResolution: null }), [{ date, field: 'input.date', evenement: true }]);
}

export async function resoudreIncidentLogement(ctx: DroitsLogementContext, input: ResoudreIncidentLogementInput): Promise<IncidentLogementRow> {
  const incidentId = idArgument(input.incidentId, 'input.incidentId');
  const date = dateArgument(input.date, 'input.date');
  const parcoursId = await parcoursDe(ctx, 'incident_logement', incidentId, 'incident');
  return dansLeDossier(ctx, parcoursId, async (store) => {
    const incident = await store.incident(incidentId);
    if (!incident) throw notFound('incident', incidentId);
    if (incident.dateResolution !== null) {
      throw transitionInvalide(`L'incident du ${incident.date} est déjà résolu (le ${incident.dateResolution}).`, {});
    }
    if (compareDates(date, incident.date) < 0) {
      throw badUserInput(`La résolution du ${date} précède l'incident du ${incident.date} : indiquez une date égale ou postérieure.`, 'input.date');
    }
    await store.resoudreIncident(incidentId, date);
    return { ...incident, dateResolution: date };
  }, [{ date, field: 'input.date', evenement: true }]);
}
