import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../../scripts/hub';
import type { TokenClaims } from '../../scripts/tokens';
import { Beneficiaire, Parcours, Referent, Site, Structure, type ParcoursRow } from '../../subgraphs/coordination/src/entities';
import type { GraphQLResult } from './hub';

/**
 * Coordination rows for the Droits & Logement tests: a structure, a site in 44, two D&L referents
 * (the designated one and a colleague who is not), and parcours in accompaniment whose binôme names
 * the designated one, plus one only oriented. The D&L database starts empty: every test writes
 * through the mutations.
 */
export const DL = {
  structure: randomUUID(),
  site: randomUUID(),
  referent: randomUUID(),
  autreReferent: randomUUID(),
  referentEF: randomUUID(),
  /** CONTRACTUALISE, the binôme names `referent`. */
  contractualises: Array.from({ length: 6 }, () => ({ beneficiaire: randomUUID(), parcours: randomUUID() })),
  /** ORIENTE: no accompaniment yet. */
  oriente: { beneficiaire: randomUUID(), parcours: randomUUID() },
};

export async function seedDroitsLogement(dbs: Record<SubgraphName, DataSource>): Promise<void> {
  const c = dbs.coordination;
  await c.getRepository(Structure).insert({ id: DL.structure, nom: 'Aurore', domaines: ['DROITS_LOGEMENT'], departements: ['44'], membreGroupement: true });
  await c.getRepository(Site).insert({
    id: DL.site, nom: 'Centre 1 AGIR – Rezé', type: 'CENTRE', departement: '44', secteur: 'NANTES-MÉTROPOLE', structureId: DL.structure,
    adresse: "L'Agora, 1 rue Victor Hugo", codePostal: '44400', communeInsee: '44143', communeNom: 'Rezé', etat: 'OUVERT',
  });
  await c.getRepository(Referent).insert([
    { id: DL.referent, nom: 'Clerc', prenom: 'Diane', email: 'diane.clerc@example.org', domaine: 'DROITS_LOGEMENT', structureId: DL.structure },
    { id: DL.autreReferent, nom: 'Demarly', prenom: 'Sabine', email: 'sabine.demarly@example.org', domaine: 'DROITS_LOGEMENT', structureId: DL.structure },
    { id: DL.referentEF, nom: 'Williot', prenom: 'Ethel', email: 'ethel.williot@example.org', domaine: 'EMPLOI_FORMATION', structureId: DL.structure },
  ]);
  const personnes = [...DL.contractualises, DL.oriente];
  await c.getRepository(Beneficiaire).insert(
    personnes.map((p, i) => ({
      id: p.beneficiaire, nom: `Personne${i}`, prenom: 'Test', sexe: 'HOMME' as const, dateNaissance: '1990-05-01', paysNaissance: 'SY',
      protection: 'REFUGIE' as const, dateObtentionProtection: '2024-10-11', rejoignant: false, communeInsee: '44109', communeNom: 'Nantes',
      telephone: null, email: null,
    })),
  );
  const base = {
    siteId: DL.site, departement: '44', canalOrientation: 'OFII' as const, dateOrientation: '2025-01-10', dateSignatureCir: '2025-01-10',
    dateDiagnostic: null, dateCommission: null, dateContrat: null, dateSortie: null, referentDroitsLogementId: null, referentEmploiFormationId: null,
  };
  const rows: ParcoursRow[] = [
    ...DL.contractualises.map((p) => ({
      ...base, id: p.parcours, beneficiaireId: p.beneficiaire, statut: 'CONTRACTUALISE' as const, dateDiagnostic: '2025-01-28', dateCommission: '2025-02-04',
      dateContrat: '2025-02-20', referentDroitsLogementId: DL.referent, referentEmploiFormationId: DL.referentEF,
    })),
    { ...base, id: DL.oriente.parcours, beneficiaireId: DL.oriente.beneficiaire, statut: 'ORIENTE' as const, referentDroitsLogementId: DL.referent },
  ] as ParcoursRow[];
  await c.getRepository(Parcours).insert(rows);
}

/** The designated D&L referent of every seeded parcours. */
export const REFERENT_DL: TokenClaims = { sub: 'diane', structure: DL.structure, roles: ['REFERENT_DROITS_LOGEMENT'], departements: ['44'], referent: DL.referent };
/** A D&L referent of the same structure, not designated for these parcours. */
export const AUTRE_REFERENT_DL: TokenClaims = { ...REFERENT_DL, sub: 'sabine', referent: DL.autreReferent };
/** The E&F referent of the binôme: right parcours, wrong domain. */
export const REFERENT_EF: TokenClaims = { sub: 'ethel', structure: DL.structure, roles: ['REFERENT_EMPLOI_FORMATION'], departements: ['44'], referent: DL.referentEF };

/** The errors of a result as code, field and message, for whole-payload assertions. */
export function erreurs(result: GraphQLResult<unknown>) {
  return result.errors?.map((e) => ({ code: e.extensions?.code, ...(e.extensions?.field ? { field: e.extensions.field } : {}), message: e.message }));
}
