import * as rules from '../index';

describe('rules/index', () => {
  it('re-exports the rules of the three modules', () => {
    expect(Object.keys(rules).sort()).toEqual(
      [
        // rome
        'CodeRomeInconnu',
        'FORMAT_CODE_ROME',
        'appellationsDuCode',
        'metierRome',
        'parseCsv',
        'rechercherMetiers',
        'validerCodeRome',
        // stabilisation
        'ActiviteInvalide',
        'ORDRE_PREFERENCE',
        'TYPES_CONTRAT',
        'TYPES_FORMATION',
        'categorieActivite',
        'estContrat',
        'estEnCours',
        'estFormation',
        'estStabilisant',
        'situationProfessionnelle',
        'verifierActivite',
        // langue
        'NIVEAUX_CECRL',
        'NiveauCecrlInconnu',
        'PARCOURS_LINGUISTIQUES_CIR',
        'ParcoursCirInvalide',
        'comparerNiveaux',
        'estNiveauCecrl',
        'estParcoursCir',
        'progression',
        'progressionParcoursCir',
        'rangCecrl',
        'validerParcoursCir',
      ].sort(),
    );
    expect(rules.metierRome('K1304')).toEqual({ code: 'K1304', libelle: 'Services domestiques' });
    expect(rules.progression('A1', 'B1')).toBe(2);
    expect(rules.estStabilisant({ type: 'CDI', dateDebut: '2023-01-02', dateFin: null })).toBe(true);
  });
});
