import type { ContratTravailRow, FormationRow, SituationProfessionnelleRow } from '../../entities';
import { activites, situationAuJour } from '../situation-courante';

const P = '00000000-0000-4000-8000-0000000000aa';
const idSa = (d: string) => `sa-${d}`;
const declaree = (categorie: SituationProfessionnelleRow['categorie'], dateDebut: string, dateFin: string | null = null): SituationProfessionnelleRow => ({ id: `d-${dateDebut}`, parcoursId: P, categorie, dateDebut, dateFin });
const contrat = (type: ContratTravailRow['type'], dateDebut: string, dateFin: string | null, stabilisant: boolean): ContratTravailRow => ({
  id: `c-${dateDebut}`, parcoursId: P, type, employeur: 'E', codeRome: 'K2204', dateDebut, dateFin, termeImprecis: false, tempsTravail: 'TEMPS_PLEIN', heuresHebdomadaires: null, categorie: 'EMPLOI_COURT', stabilisant,
});
const formation = (dateDebut: string, dateFin: string | null): FormationRow => ({
  id: `f-${dateDebut}`, parcoursId: P, type: 'LINGUISTIQUE', dispositifLinguistique: 'FLE', intitule: 'FLE', organisme: 'O', codeRome: null, diplomante: false, dateDebut, dateFin,
  heuresPrevues: null, heuresRealisees: null, resultat: 'EN_COURS', categorie: 'FORMATION_LINGUISTIQUE', stabilisant: false,
});

describe('situationAuJour: declared and computed situations', () => {
  it('is null when nothing is known, and the latest declaration started on or before the day otherwise', () => {
    expect(situationAuJour([], [], '2024-01-01', idSa)).toBeNull();
    const d = [declaree('SANS_ACTIVITE', '2023-01-10'), declaree('EMPLOI_DURABLE', '2023-06-01'), declaree('ETUDES', '2025-01-01')];
    expect(situationAuJour(d, [], '2024-01-01', idSa)).toEqual({ ...d[1], source: 'DECLAREE', stabilisante: true, depuis: '2023-06-01' });
    // A declared FORMATION_PROFESSIONNELLE may or may not be qualifying: never stabilised.
    expect(situationAuJour([declaree('FORMATION_PROFESSIONNELLE', '2023-06-01')], [], '2024-01-01', idSa)?.stabilisante).toBe(false);
  });

  it('prefers a contract or training in progress, computed by the rules module', () => {
    const a = activites([contrat('IAE_GEIQ', '2023-10-16', '2024-10-15', true)], [formation('2023-03-01', null)]);
    expect(situationAuJour([declaree('SANS_ACTIVITE', '2023-01-10')], a, '2024-01-01', idSa)).toEqual({
      id: 'c-2023-10-16', parcoursId: P, categorie: 'ALTERNANCE', dateDebut: '2023-10-16', dateFin: '2024-10-15', source: 'CALCULEE', stabilisante: true, depuis: '2023-10-16',
    });
  });

  it('is SANS_ACTIVITE between activities once one has started, whatever was declared', () => {
    const a = activites([contrat('CDD', '2023-05-02', '2023-08-31', false), contrat('IAE_GEIQ', '2023-10-16', null, true)], []);
    expect(situationAuJour([declaree('EMPLOI_DURABLE', '2023-01-10')], a, '2023-09-15', idSa)).toEqual({
      id: 'sa-2023-09-01', parcoursId: P, categorie: 'SANS_ACTIVITE', dateDebut: '2023-09-01', dateFin: '2023-10-15', source: 'CALCULEE', stabilisante: false, depuis: null,
    });
    // Before the first activity starts, the declaration still holds.
    expect(situationAuJour([declaree('SANS_ACTIVITE', '2023-01-10')], a, '2023-04-01', idSa)?.source).toBe('DECLAREE');
  });
});
