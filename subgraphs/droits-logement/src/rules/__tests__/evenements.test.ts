import type { DemarcheDroitRow, SituationLogementRow } from '../../entities';
import { evenementsDroitsLogement, type DossierDroitsLogement } from '../evenements';

const vide: DossierDroitsLogement = { historique: [], demarches: [], demande: null, propositions: [], mesures: [], incidents: [] };
const situation = (type: SituationLogementRow['type'], categorie: SituationLogementRow['categorie'], dateDebut: string, communeNom: string | null = null): SituationLogementRow => ({
  id: dateDebut, parcoursId: 'p', type, categorie, dateDebut, dateFin: null, communeInsee: null, communeNom,
});
const demarche = (d: Partial<DemarcheDroitRow>): DemarcheDroitRow => ({
  id: 'd', parcoursId: 'p', type: 'CAF_PRESTATIONS_FAMILIALES', statut: 'A_ENGAGER', organisme: 'CAF de Loire-Atlantique', dateDebut: null, dateFin: null, ...d,
});

describe('evenementsDroitsLogement', () => {
  it('has nothing to tell about an empty dossier, nor about a procedure still to start', () => {
    expect(evenementsDroitsLogement(vide)).toEqual([]);
    expect(evenementsDroitsLogement({ ...vide, demarches: [demarche({})] })).toEqual([]);
  });

  it('dates each procedure start, current blockage and outcome, without the organisation or comment', () => {
    const evenements = evenementsDroitsLogement({
      ...vide,
      demarches: [
        demarche({ statut: 'OBTENU', dateDebut: '2025-02-03', dateFin: '2025-03-14' }),
        demarche({ type: 'TITRE_SEJOUR', statut: 'BLOQUE', dateDebut: '2025-02-01', bloqueeDepuis: '2025-02-20', motifBlocage: 'AUTRE', commentaireBlocage: 'Récépissé perdu' }),
        demarche({ type: 'RSA', statut: 'ABANDONNE', dateDebut: null, dateFin: '2025-02-10' }),
        demarche({ type: 'DOMICILIATION', statut: 'BLOQUE', dateDebut: '2025-01-05', bloqueeDepuis: null }),
      ],
    });
    expect(evenements).toEqual([
      { date: '2025-01-05', domaine: 'DROITS_LOGEMENT', type: 'DEMARCHE_ENGAGEE', libelle: 'Démarche engagée : domiciliation' },
      { date: '2025-02-01', domaine: 'DROITS_LOGEMENT', type: 'DEMARCHE_ENGAGEE', libelle: 'Démarche engagée : titre de séjour' },
      { date: '2025-02-03', domaine: 'DROITS_LOGEMENT', type: 'DEMARCHE_ENGAGEE', libelle: 'Démarche engagée : prestations familiales (CAF)' },
      { date: '2025-02-10', domaine: 'DROITS_LOGEMENT', type: 'DEMARCHE_ABANDONNEE', libelle: 'Démarche abandonnée : RSA' },
      { date: '2025-02-20', domaine: 'DROITS_LOGEMENT', type: 'DEMARCHE_BLOQUEE', libelle: 'Démarche bloquée : titre de séjour' },
      { date: '2025-03-14', domaine: 'DROITS_LOGEMENT', type: 'DEMARCHE_OBTENUE', libelle: 'Droit obtenu : prestations familiales (CAF)' },
    ]);
    expect(JSON.stringify(evenements)).not.toMatch(/CAF de Loire|Récépissé/);
  });

  it('lists a housing entry before the procedures of the same day, and keeps refusal motifs out', () => {
    const evenements = evenementsDroitsLogement({
      ...vide,
      historique: [situation('RESIDENCE_SOCIALE', 'LOGEMENT_ACCOMPAGNE_ADAPTE', '2025-07-01', 'Rezé')],
      demarches: [demarche({ statut: 'EN_COURS', dateDebut: '2025-07-01' })],
      propositions: [
        { id: 'x', parcoursId: 'p', date: '2025-05-01', bailleur: 'Habitat 44', typologie: 'T5_ET_PLUS', communeInsee: '44109', communeNom: 'Nantes', reponse: 'REFUSEE', dateReponse: '2025-05-03', motifRefus: 'Raisons familiales' },
      ],
    });
    expect(evenements.map((e) => [e.date, e.type, e.libelle])).toEqual([
      ['2025-05-01', 'PROPOSITION_LOGEMENT', 'Proposition de logement : T5 ou plus à Nantes'],
      ['2025-05-03', 'PROPOSITION_REFUSEE', 'Proposition de logement refusée : T5 ou plus à Nantes'],
      ['2025-07-01', 'LOGEMENT_ENTREE', 'Entrée : résidence sociale à Rezé (logement accompagné / adapté)'],
      ['2025-07-01', 'DEMARCHE_ENGAGEE', 'Démarche engagée : prestations familiales (CAF)'],
    ]);
    expect(JSON.stringify(evenements)).not.toMatch(/Raisons familiales|Habitat 44/);
  });
});
