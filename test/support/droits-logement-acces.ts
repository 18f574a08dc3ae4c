import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../../scripts/hub';
import type { TokenClaims } from '../../scripts/tokens';
import { Beneficiaire, Parcours, Referent, Structure, Transition, type ParcoursRow } from '../../subgraphs/coordination/src/entities';
import { DL, REFERENT_DL, REFERENT_EF, seedDroitsLogement } from './droits-logement-fixture';
import type { GraphQLResult, TestHub } from './hub';

/**
 * The access matrix of Droits & Logement (issue #6): the D&L fixture (a structure of 44, the
 * binôme Diane (D&L) / Ethel (E&F) on six parcours in accompaniment), plus another association with
 * its own D&L referent and parcours, and an OFII structure that oriented the first parcours (so that
 * Coordination shows it that parcours and the D&L rules alone refuse it the domain's data).
 */
export const ACCES = {
  /** The parcours the matrix reads: binôme Diane / Ethel, département 44. */
  parcours: DL.contractualises[0]!.parcours,
  /** Read once, for the audit count. */
  audit: DL.contractualises[1]!.parcours,
  /** Its binôme moves from Diane to Sabine today: Diane is a former referent for 30 days. */
  ancienRecent: DL.contractualises[2]!.parcours,
  /** Its binôme moved from Diane to Sabine 31 days ago. */
  ancienExpire: DL.contractualises[3]!.parcours,
  /** The journal test writes here. */
  journal: DL.contractualises[4]!.parcours,
  autreStructure: randomUUID(),
  autreReferent: randomUUID(),
  autreParcours: { beneficiaire: randomUUID(), parcours: randomUUID() },
  ofii: randomUUID(),
};

export async function seedDroitsLogementAcces(dbs: Record<SubgraphName, DataSource>): Promise<void> {
  await seedDroitsLogement(dbs);
  const c = dbs.coordination;
  await c.getRepository(Structure).insert([
    { id: ACCES.autreStructure, nom: 'SOLIHA', domaines: ['DROITS_LOGEMENT'], departements: ['44'], membreGroupement: true },
    { id: ACCES.ofii, nom: 'OFII Nantes', domaines: [], departements: ['44', '85'], membreGroupement: false },
  ]);
  await c.getRepository(Referent).insert({ id: ACCES.autreReferent, nom: 'Morel', prenom: 'Paul', email: 'paul.morel@example.org', domaine: 'DROITS_LOGEMENT', structureId: ACCES.autreStructure });
  await c.getRepository(Beneficiaire).insert({
    id: ACCES.autreParcours.beneficiaire, nom: 'Autre', prenom: 'Test', sexe: 'FEMME' as const, dateNaissance: '1991-03-02', paysNaissance: 'AF',
    protection: 'REFUGIE' as const, dateObtentionProtection: '2024-09-01', rejoignant: false, communeInsee: '44109', communeNom: 'Nantes', telephone: null, email: null,
  });
  await c.getRepository(Parcours).insert({
    id: ACCES.autreParcours.parcours, beneficiaireId: ACCES.autreParcours.beneficiaire, siteId: DL.site, departement: '44', statut: 'CONTRACTUALISE',
    canalOrientation: 'OFII', dateOrientation: '2025-01-10', dateSignatureCir: '2025-01-10', dateDiagnostic: '2025-01-28', dateCommission: '2025-02-04',
    dateContrat: '2025-02-20', dateSortie: null, referentDroitsLogementId: ACCES.autreReferent, referentEmploiFormationId: DL.referentEF,
  } as ParcoursRow);
  await c.getRepository(Transition).insert({
    parcoursId: ACCES.parcours, action: 'ORIENTER', statutAvant: null, statutApres: 'ORIENTE', dateEffet: '2025-01-10',
    auteurId: 'ofii-nantes', auteurNom: 'OFII Nantes', auteurStructure: ACCES.ofii, motif: null, reference: null,
  });
}

/** Moves the D&L seat of a parcours's binôme from Diane to Sabine, `joursAvant` days ago. */
export async function remplacerReferentDL(coordination: DataSource, parcoursId: string, joursAvant: number): Promise<void> {
  await coordination.query('UPDATE parcours SET referent_droits_logement_id = $2 WHERE id = $1', [parcoursId, DL.autreReferent]);
  if (joursAvant > 0) {
    await coordination.query(
      `UPDATE ancien_referent SET remplace_le = (now() AT TIME ZONE 'Europe/Paris')::date - $2::int WHERE parcours_id = $1 AND referent_id = $3`,
      [parcoursId, joursAvant, DL.referent],
    );
  }
}

/** The callers of the matrix. */
export const CALLERS = {
  referentDL: { ...REFERENT_DL, name: 'Diane Clerc' },
  referentEF: { ...REFERENT_EF, name: 'Ethel Williot' },
  referentDLAutreAssociation: { sub: 'paul', name: 'Paul Morel', structure: ACCES.autreStructure, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'], referent: ACCES.autreReferent },
  coordination44: { sub: 'coord44', name: 'Coordination 44', structure: DL.structure, roles: ['COORDINATION'], departements: ['44'] },
  coordination85: { sub: 'coord85', name: 'Coordination 85', structure: DL.structure, roles: ['COORDINATION'], departements: ['85'] },
  ofii: { sub: 'ofii', name: 'OFII Nantes', structure: ACCES.ofii, roles: ['OFII'], departements: ['44'] },
  prescripteur: { sub: 'presc', structure: DL.structure, roles: ['PRESCRIPTEUR'], departements: ['44'] },
  analyste: { sub: 'analyste', structure: DL.structure, roles: ['ANALYSTE'], departements: ['44'] },
  admin: { sub: 'admin', structure: DL.structure, roles: ['ADMIN'], departements: ['44', '85'] },
} satisfies Record<string, TokenClaims>;
export type Caller = keyof typeof CALLERS;

/**
 * Asks the Droits & Logement subgraph itself for a parcours's fields, as the gateway does
 * (`_entities` with the gateway's key) but with the caller's token: what the domain answers on
 * its own, whatever Coordination decided about the parcours.
 */
export function entiteDL<T = Record<string, unknown>>(hub: TestHub, token: string, parcoursId: string, selection: string): Promise<GraphQLResult<{ _entities: (T | null)[] }>> {
  return hub.query(
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Parcours { ${selection} } } }`,
    { r: [{ __typename: 'Parcours', id: parcoursId }] },
    { token, url: hub.subgraphs['droits-logement'].url, headers: { 'x-agir-gateway-key': hub.gatewaySecret } },
  );
}

/** The errors of a result as code and field, the fields sorted. */
export function refus(result: GraphQLResult<unknown>): { code: unknown; field: unknown }[] {
  return (result.errors ?? []).map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })).sort((a, b) => String(a.field).localeCompare(String(b.field)));
}
