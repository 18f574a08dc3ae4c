import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Beneficiaire, Parcours, Referent, Site, Structure, type ParcoursRow } from '../../subgraphs/coordination/src/entities';
import { DemarcheDroit, Dossier as DossierDL, SituationLogement } from '../../subgraphs/droits-logement/src/entities';
import { Dossier as DossierEF, EvaluationLangue, SituationProfessionnelle } from '../../subgraphs/emploi-formation/src/entities';
import type { SubgraphName } from '../../scripts/hub';

/**
 * A small, fully known population for assertions on whole payloads: two parcours in 44 (one
 * followed by both domains, one just oriented) and one in 85.
 */
export const FIXTURE = {
  structureSos: randomUUID(),
  site44: randomUUID(),
  site85: randomUUID(),
  referentDL: randomUUID(),
  referentEF: randomUUID(),
  amina: { beneficiaire: randomUUID(), parcours: randomUUID() },
  karim: { beneficiaire: randomUUID(), parcours: randomUUID() },
  yonas: { beneficiaire: randomUUID(), parcours: randomUUID() },
};

export async function seedFixture(dbs: Record<SubgraphName, DataSource>): Promise<void> {
  const c = dbs.coordination;
  await c.getRepository(Structure).insert({
    id: FIXTURE.structureSos,
    nom: 'Groupe SOS Solidarités',
    domaines: ['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION'],
    departements: ['44', '85'],
    membreGroupement: true,
  });
  await c.getRepository(Site).insert([
    { id: FIXTURE.site44, nom: 'Centre 1 AGIR – Rezé', type: 'CENTRE', departement: '44', secteur: 'NANTES-MÉTROPOLE', structureId: FIXTURE.structureSos, adresse: "L'Agora, 1 rue Victor Hugo", codePostal: '44400', communeInsee: '44143', communeNom: 'Rezé', etat: 'OUVERT' },
    { id: FIXTURE.site85, nom: 'Centre AGIR – La Roche-sur-Yon', type: 'CENTRE', departement: '85', secteur: 'LA ROCHE SUR YON', structureId: FIXTURE.structureSos, adresse: '9 rue Jean Moulin', codePostal: '85000', communeInsee: '85191', communeNom: 'La Roche-sur-Yon', etat: 'OUVERT' },
  ]);
  await c.getRepository(Referent).insert([
    { id: FIXTURE.referentDL, nom: 'Martin', prenom: 'Claire', email: 'claire.martin@example.org', domaine: 'DROITS_LOGEMENT', structureId: FIXTURE.structureSos },
    { id: FIXTURE.referentEF, nom: 'Bernard', prenom: 'Hugo', email: 'hugo.bernard@example.org', domaine: 'EMPLOI_FORMATION', structureId: FIXTURE.structureSos },
  ]);
  const person = (id: string, nom: string, prenom: string, sexe: 'FEMME' | 'HOMME') => ({
    id, nom, prenom, sexe, dateNaissance: '1994-03-12', paysNaissance: 'AF', protection: 'REFUGIE' as const,
    dateObtentionProtection: '2024-11-04', rejoignant: false, communeInsee: '44109', communeNom: 'Nantes', telephone: null, email: null,
  });
  await c.getRepository(Beneficiaire).insert([
    person(FIXTURE.amina.beneficiaire, 'Haidari', 'Amina', 'FEMME'),
    person(FIXTURE.karim.beneficiaire, 'Nouri', 'Karim', 'HOMME'),
    person(FIXTURE.yonas.beneficiaire, 'Tesfaye', 'Yonas', 'HOMME'),
  ]);
  const parcours = (p: Partial<ParcoursRow> & Pick<ParcoursRow, 'id' | 'beneficiaireId' | 'siteId' | 'departement' | 'statut' | 'dateOrientation'>) => ({
    canalOrientation: 'OFII' as const, dateSignatureCir: p.dateOrientation, dateDiagnostic: null, dateCommission: null, dateContrat: null,
    dateSortie: null, referentDroitsLogementId: null, referentEmploiFormationId: null, ...p,
  });
  await c.getRepository(Parcours).insert([
    parcours({ id: FIXTURE.amina.parcours, beneficiaireId: FIXTURE.amina.beneficiaire, siteId: FIXTURE.site44, departement: '44', statut: 'CONTRACTUALISE',
      dateOrientation: '2025-01-10', dateDiagnostic: '2025-01-28', dateCommission: '2025-02-04', dateContrat: '2025-02-20',
      referentDroitsLogementId: FIXTURE.referentDL, referentEmploiFormationId: FIXTURE.referentEF }),
    parcours({ id: FIXTURE.karim.parcours, beneficiaireId: FIXTURE.karim.beneficiaire, siteId: FIXTURE.site44, departement: '44', statut: 'ORIENTE', dateOrientation: '2025-03-03' }),
    parcours({ id: FIXTURE.yonas.parcours, beneficiaireId: FIXTURE.yonas.beneficiaire, siteId: FIXTURE.site85, departement: '85', statut: 'CONVOQUE', dateOrientation: '2025-02-15' }),
  ]);

  const dl = dbs['droits-logement'];
  await dl.getRepository(DossierDL).insert({ parcoursId: FIXTURE.amina.parcours, departement: '44', ouvertLe: '2025-01-28' });
  await dl.getRepository(SituationLogement).insert([
    { parcoursId: FIXTURE.amina.parcours, categorie: 'DNA', type: 'CADA', communeInsee: '44109', communeNom: 'Nantes', dateDebut: '2024-06-01', dateFin: '2025-04-30' },
    { parcoursId: FIXTURE.amina.parcours, categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', type: 'RESIDENCE_SOCIALE', communeInsee: '44143', communeNom: 'Rezé', dateDebut: '2025-05-01', dateFin: null },
  ]);
  await dl.getRepository(DemarcheDroit).insert([
    { parcoursId: FIXTURE.amina.parcours, type: 'CAF_PRESTATIONS_FAMILIALES', statut: 'OBTENU', organisme: 'CAF de Loire-Atlantique', dateDebut: '2025-02-03', dateFin: '2025-03-14' },
    { parcoursId: FIXTURE.amina.parcours, type: 'ECHANGE_PERMIS_CONDUIRE', statut: 'EN_COURS', organisme: 'Préfecture de la Loire-Atlantique', dateDebut: '2025-03-01', dateFin: null },
  ]);

  const ef = dbs['emploi-formation'];
  await ef.getRepository(DossierEF).insert({ parcoursId: FIXTURE.amina.parcours, departement: '44', ouvertLe: '2025-01-28' });
  await ef.getRepository(SituationProfessionnelle).insert([
    { parcoursId: FIXTURE.amina.parcours, categorie: 'FORMATION_LINGUISTIQUE', dateDebut: '2025-01-28', dateFin: '2025-06-30' },
    { parcoursId: FIXTURE.amina.parcours, categorie: 'EMPLOI_DURABLE', dateDebut: '2025-07-01', dateFin: null },
  ]);
  await ef.getRepository(EvaluationLangue).insert([
    { parcoursId: FIXTURE.amina.parcours, niveauCecrl: 'A1', dateEvaluation: '2025-01-28', heuresParcoursCir: 400 },
    { parcoursId: FIXTURE.amina.parcours, niveauCecrl: 'A2', dateEvaluation: '2025-06-20', heuresParcoursCir: 400 },
  ]);
}
