import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Referent, Site, Structure } from '../../subgraphs/coordination/src/entities';
import { Dossier as DossierDL, PropositionLogement, SituationLogement } from '../../subgraphs/droits-logement/src/entities';
import { Dossier as DossierEF, SituationProfessionnelle } from '../../subgraphs/emploi-formation/src/entities';
import type { TokenClaims } from '../../scripts/tokens';
import type { SubgraphName } from '../../scripts/hub';

/**
 * Reference data for the Coordination tests: the member structures of each domain, a partner,
 * one site per département and a binôme of referents, with fixed ids; plus the users of each role.
 */
export const REF = {
  sos: randomUUID(),
  aurore: randomUUID(),
  cfp: randomUUID(),
  ofii: randomUUID(),
  site44: randomUUID(),
  site85: randomUUID(),
  referentDL: randomUUID(),
  referentEF: randomUUID(),
  referentDL85: randomUUID(),
};

export async function seedReference(dbs: Record<SubgraphName, DataSource>): Promise<void> {
  const c = dbs.coordination;
  await c.getRepository(Structure).insert([
    { id: REF.sos, nom: 'Groupe SOS Solidarités', domaines: ['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION'], departements: ['44', '85'], membreGroupement: true },
    { id: REF.aurore, nom: 'Aurore', domaines: ['DROITS_LOGEMENT'], departements: ['44'], membreGroupement: true },
    { id: REF.cfp, nom: "CFP Presqu'île", domaines: ['EMPLOI_FORMATION'], departements: ['44', '85'], membreGroupement: true },
    { id: REF.ofii, nom: 'OFII', domaines: [], departements: ['44', '85'], membreGroupement: false },
  ]);
  await c.getRepository(Site).insert([
    { id: REF.site44, nom: 'Centre 1 AGIR – Rezé', type: 'CENTRE', departement: '44', secteur: 'NANTES-MÉTROPOLE', structureId: REF.sos, adresse: "L'Agora, 1 rue Victor Hugo", codePostal: '44400', communeInsee: '44143', communeNom: 'Rezé', etat: 'OUVERT' },
    { id: REF.site85, nom: 'Centre AGIR – La Roche-sur-Yon', type: 'CENTRE', departement: '85', secteur: 'LA ROCHE SUR YON', structureId: REF.sos, adresse: '9 rue Jean Moulin', codePostal: '85000', communeInsee: '85191', communeNom: 'La Roche-sur-Yon', etat: 'OUVERT' },
  ]);
  await c.getRepository(Referent).insert([
    { id: REF.referentDL, nom: 'Clerc', prenom: 'Diane', email: null, domaine: 'DROITS_LOGEMENT', structureId: REF.aurore },
    { id: REF.referentEF, nom: 'Williot', prenom: 'Ethel', email: null, domaine: 'EMPLOI_FORMATION', structureId: REF.cfp },
    { id: REF.referentDL85, nom: 'Demarly', prenom: 'Sabine', email: null, domaine: 'DROITS_LOGEMENT', structureId: REF.sos },
  ]);
}

const user = (sub: string, roles: TokenClaims['roles'], departements: string[], structure: string, name: string): TokenClaims => ({ sub, name, structure, roles, departements });

export const USERS = {
  ofii: user('ofii-auditeur-1', ['OFII'], ['44', '85'], REF.ofii, 'Auditrice OFII'),
  coordination44: user('coord-44', ['COORDINATION'], ['44'], REF.sos, 'Sarah Bin'),
  coordination85: user('coord-85', ['COORDINATION'], ['85'], REF.sos, 'Coordination Vendée'),
  prescripteur44: user('cada-nantes', ['PRESCRIPTEUR'], ['44'], REF.sos, 'TS du CADA de Nantes'),
};

/** Writes Droits & Logement's and Emploi & Formation's facts for a parcours, as those domains would. */
export async function seedFaitsDomaines(
  dbs: Record<SubgraphName, DataSource>,
  parcoursId: string,
  faits: { logement?: { type: string; categorie: string; debut: string }; emploi?: { categorie: string; debut: string }; refus?: string[] },
): Promise<void> {
  const dl = dbs['droits-logement'];
  const ef = dbs['emploi-formation'];
  await dl.getRepository(DossierDL).upsert({ parcoursId, departement: '44', ouvertLe: '2025-01-20' }, ['parcoursId']);
  await ef.getRepository(DossierEF).upsert({ parcoursId, departement: '44', ouvertLe: '2025-01-20' }, ['parcoursId']);
  if (faits.logement) {
    await dl.getRepository(SituationLogement).insert({ parcoursId, categorie: faits.logement.categorie as never, type: faits.logement.type as never, communeInsee: '44143', communeNom: 'Rezé', dateDebut: faits.logement.debut, dateFin: null });
  }
  if (faits.emploi) {
    await ef.getRepository(SituationProfessionnelle).insert({ parcoursId, categorie: faits.emploi.categorie as never, dateDebut: faits.emploi.debut, dateFin: null });
  }
  for (const [i, date] of (faits.refus ?? []).entries()) {
    await dl.getRepository(PropositionLogement).insert({
      parcoursId, date, bailleur: `Bailleur ${i + 1}`, typologie: 'T2', communeInsee: '44109', communeNom: 'Nantes', reponse: 'REFUSEE', dateReponse: date, motifRefus: 'trop loin du travail',
    });
  }
}

export const PERSONNE = {
  nom: 'Haidari',
  prenom: 'Amina',
  dateNaissance: '1994-03-12',
  sexe: 'FEMME',
  paysNaissance: 'AF',
  protection: 'REFUGIE',
  dateObtentionProtection: '2024-10-01',
  communeResidence: { codeInsee: '44109', nom: 'Nantes' },
};

export const SITUATION = { domicilieDansDepartement: true, resideHabituellementDansDepartement: true, logementDurable: false, emploiDurable: false, volontaire: true };
