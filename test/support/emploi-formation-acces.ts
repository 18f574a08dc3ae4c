import { randomUUID } from 'node:crypto';
import { addDays, today } from '@agir/common';
import type { DataSource } from 'typeorm';
import { Referent, Transition } from '../../subgraphs/coordination/src/entities';
import { Diagnostic, Dossier, EvaluationLangue, Frein, InscriptionFranceTravail, SituationProfessionnelle } from '../../subgraphs/emploi-formation/src/entities';
import { efFixture, seedCoordinationEF, type Dbs } from './emploi-formation-fixtures';
import type { TestHub } from './hub';

/**
 * The people and parcours of the access matrix of Emploi & Formation:
 * - P: contractualised in 44, binôme (referentDL, referentEF), oriented by the OFII structure `ofii`,
 *   with an ordinary field (a declared situation, a French level), free text (wishes, skills), a
 *   SANTE barrier next to a LANGUE one, and a France Travail identifier;
 * - R: contractualised in 44, whose E&F seat went from `ancienRecent` (10 days ago) and, before,
 *   `ancienVieux` (31 days ago) to `autreReferentEF`; same kind of data.
 */
export function accesFixture() {
  return { ...efFixture(), ofii: randomUUID(), ancienRecent: randomUUID(), ancienVieux: randomUUID(), P: randomUUID(), R: randomUUID() };
}
export type AccesFixture = ReturnType<typeof accesFixture>;

export const SOUHAITS = 'Travailler en cuisine, pas le week-end (santé du fils)';
export const IDENTIFIANT_FT = '1234567A';

async function seedEF(db: DataSource, parcoursId: string): Promise<void> {
  await db.getRepository(Dossier).insert({ parcoursId, departement: '44', ouvertLe: '2024-01-15' });
  await db.getRepository(SituationProfessionnelle).insert({ parcoursId, categorie: 'SANS_ACTIVITE', dateDebut: '2024-01-15', dateFin: null });
  await db.getRepository(EvaluationLangue).insert({ parcoursId, niveauCecrl: 'A2', dateEvaluation: '2024-01-15', heuresParcoursCir: null });
  await db.getRepository(Diagnostic).insert({ parcoursId, dateDiagnostic: '2024-01-15', niveauFormation: 'SECONDAIRE_DIPLOME', souhaits: SOUHAITS, competences: ['cuisine collective'] });
  await db.getRepository(Frein).insert([
    { parcoursId, type: 'LANGUE', dateIdentification: '2024-01-15', dateLevee: null },
    { parcoursId, type: 'SANTE', dateIdentification: '2024-01-15', dateLevee: null },
  ]);
  await db.getRepository(InscriptionFranceTravail).insert({ parcoursId, dateInscription: '2024-01-20', identifiant: IDENTIFIANT_FT });
}

export async function seedAcces(dbs: Dbs, f: AccesFixture): Promise<void> {
  const c = dbs.coordination;
  await seedCoordinationEF(c, f, [
    { id: f.P, statut: 'CONTRACTUALISE', nom: 'P.', dateOrientation: '2024-01-10' },
    { id: f.R, statut: 'CONTRACTUALISE', nom: 'R.', dateOrientation: '2024-01-11' },
  ]);
  await c.getRepository(Referent).insert([
    { id: f.ancienRecent, nom: 'Ancien', prenom: 'Récent', email: 'ancien.recent@example.org', domaine: 'EMPLOI_FORMATION', structureId: f.structure },
    { id: f.ancienVieux, nom: 'Ancien', prenom: 'Vieux', email: 'ancien.vieux@example.org', domaine: 'EMPLOI_FORMATION', structureId: f.structure },
  ]);
  // R's E&F seat is now autreReferentEF; the two former referents were replaced 10 and 31 days ago.
  await c.query('UPDATE parcours SET referent_emploi_formation_id = $1 WHERE id = $2', [f.autreReferentEF, f.R]);
  await c.query('DELETE FROM ancien_referent WHERE parcours_id = $1', [f.R]);
  await c.query(
    `INSERT INTO ancien_referent (parcours_id, domaine, referent_id, remplace_le) VALUES ($1, 'EMPLOI_FORMATION', $2, $3), ($1, 'EMPLOI_FORMATION', $4, $5)`,
    [f.R, f.ancienRecent, addDays(today(), -10), f.ancienVieux, addDays(today(), -31)],
  );
  // The OFII oriented P: it sees the parcours at Coordination, and still none of this domain.
  await c.getRepository(Transition).insert({
    parcoursId: f.P, action: 'ORIENTER', statutAvant: null, statutApres: 'ORIENTE', dateEffet: '2024-01-10',
    auteurId: 'ofii-44', auteurNom: 'OFII Nantes', auteurStructure: f.ofii, motif: null, reference: null,
  });
  await seedEF(dbs['emploi-formation'], f.P);
  await seedEF(dbs['emploi-formation'], f.R);
}

export type Caller =
  | 'referentEF' | 'referentDL' | 'autreReferentEF' | 'coordination44' | 'coordination85' | 'ofii' | 'prescripteur' | 'analyste' | 'admin' | 'ancienRecent' | 'ancienVieux';

export async function accesTokens(hub: TestHub, f: AccesFixture): Promise<Record<Caller, string>> {
  const base = { structure: f.structure, departements: ['44'] };
  const ef = (sub: string, referent: string) => hub.token({ sub, name: sub, ...base, roles: ['REFERENT_EMPLOI_FORMATION'], referent });
  return {
    referentEF: await ef('ref-ef', f.referentEF),
    referentDL: await hub.token({ sub: 'ref-dl', ...base, roles: ['REFERENT_DROITS_LOGEMENT'], referent: f.referentDL }),
    autreReferentEF: await ef('ref-ef-autre', f.autreReferentEF),
    coordination44: await hub.token({ sub: 'coord-44', ...base, roles: ['COORDINATION'] }),
    coordination85: await hub.token({ sub: 'coord-85', structure: f.structure, departements: ['85'], roles: ['COORDINATION'] }),
    ofii: await hub.token({ sub: 'ofii-44', structure: f.ofii, departements: ['44'], roles: ['OFII'] }),
    prescripteur: await hub.token({ sub: 'prescripteur', ...base, roles: ['PRESCRIPTEUR'] }),
    analyste: await hub.token({ sub: 'analyste', ...base, roles: ['ANALYSTE'] }),
    admin: await hub.token({ sub: 'admin', ...base, departements: ['44', '85'], roles: ['ADMIN'] }),
    ancienRecent: await ef('ref-ef-ancien-recent', f.ancienRecent),
    ancienVieux: await ef('ref-ef-ancien-vieux', f.ancienVieux),
  };
}
