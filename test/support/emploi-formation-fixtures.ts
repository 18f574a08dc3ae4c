import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../../scripts/hub';
import { Beneficiaire, Parcours, Referent, Site, Structure, type ParcoursRow } from '../../subgraphs/coordination/src/entities';
import type { TestHub } from './hub';

/**
 * Coordination rows for the Emploi & Formation tests: a structure, a site in 44, the binôme's
 * referents (the designated E&F referent and another E&F referent who is not in the binôme), and
 * parcours at the statuts the tests need. Identity is made up; the domain never sees it.
 */
export function efFixture() {
  return {
    structure: randomUUID(),
    site: randomUUID(),
    referentDL: randomUUID(),
    referentEF: randomUUID(),
    autreReferentEF: randomUUID(),
  };
}
export type EfFixture = ReturnType<typeof efFixture>;

export interface ParcoursSeed {
  id: string;
  statut: ParcoursRow['statut'];
  nom: string;
  dateOrientation: string;
}

export async function seedCoordinationEF(c: DataSource, f: EfFixture, parcours: ParcoursSeed[]): Promise<void> {
  await c.getRepository(Structure).insert({ id: f.structure, nom: 'CFP Presqu’île', domaines: ['EMPLOI_FORMATION', 'DROITS_LOGEMENT'], departements: ['44'], membreGroupement: true });
  await c.getRepository(Site).insert({
    id: f.site, nom: 'Centre 2 CFP – Nantes', type: 'CENTRE', departement: '44', secteur: 'NANTES-MÉTROPOLE', structureId: f.structure,
    adresse: '23 rue Victor Hugo', codePostal: '44000', communeInsee: '44109', communeNom: 'Nantes', etat: 'OUVERT',
  });
  await c.getRepository(Referent).insert([
    { id: f.referentDL, nom: 'Martin', prenom: 'Claire', email: 'claire.martin@example.org', domaine: 'DROITS_LOGEMENT', structureId: f.structure },
    { id: f.referentEF, nom: 'Williot', prenom: 'Ethel', email: 'ethel.w@example.org', domaine: 'EMPLOI_FORMATION', structureId: f.structure },
    { id: f.autreReferentEF, nom: 'Saim', prenom: 'Virginia', email: 'virginia.s@example.org', domaine: 'EMPLOI_FORMATION', structureId: f.structure },
  ]);
  const beneficiaires = parcours.map(() => randomUUID());
  await c.getRepository(Beneficiaire).insert(
    parcours.map((p, i) => ({
      id: beneficiaires[i]!, nom: p.nom, prenom: 'X', sexe: 'HOMME' as const, dateNaissance: '1990-01-01', paysNaissance: 'AF', protection: 'REFUGIE' as const,
      dateObtentionProtection: '2022-11-01', rejoignant: false, communeInsee: '44109', communeNom: 'Nantes', telephone: null, email: null,
    })),
  );
  await c.getRepository(Parcours).insert(
    parcours.map((p, i) => {
      const accompagne = p.statut !== 'ORIENTE' && p.statut !== 'CONVOQUE';
      return {
        id: p.id, beneficiaireId: beneficiaires[i]!, siteId: f.site, departement: '44', statut: p.statut, canalOrientation: 'OFII' as const,
        dateOrientation: p.dateOrientation, dateSignatureCir: p.dateOrientation, dateDiagnostic: null, dateCommission: null, dateContrat: null, dateSortie: null,
        referentDroitsLogementId: accompagne ? f.referentDL : null, referentEmploiFormationId: accompagne ? f.referentEF : null,
      };
    }),
  );
}

/** Tokens: the binôme's E&F referent, another E&F referent, a D&L referent of the binôme, a coordinator. */
export async function efTokens(hub: TestHub, f: EfFixture) {
  const base = { structure: f.structure, departements: ['44'] };
  return {
    referent: await hub.token({ sub: 'ref-ef', ...base, roles: ['REFERENT_EMPLOI_FORMATION'], referent: f.referentEF }),
    autreReferent: await hub.token({ sub: 'ref-ef-2', ...base, roles: ['REFERENT_EMPLOI_FORMATION'], referent: f.autreReferentEF }),
    referentDL: await hub.token({ sub: 'ref-dl', ...base, roles: ['REFERENT_DROITS_LOGEMENT'], referent: f.referentDL }),
    coordination: await hub.token({ sub: 'coord', ...base, roles: ['COORDINATION'] }),
  };
}

/** Counts the rows of every table of the domain (to assert that a refused write left nothing). */
export async function efRowCounts(db: DataSource): Promise<Record<string, number>> {
  const tables = ['dossier', 'situation_professionnelle', 'evaluation_langue', 'diagnostic_socio_professionnel', 'diplome', 'experience_professionnelle', 'frein_emploi', 'certification_langue', 'projet_professionnel', 'etape_projet', 'inscription_france_travail', 'accompagnement_externe', 'candidature', 'formation', 'contrat_travail'];
  const rows: { t: string; n: string }[] = await db.query(tables.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

export type Dbs = Record<SubgraphName, DataSource>;
