import { evenementsCoordination, fusionnerChronologie, type EvenementParcours } from '../chronologie';

const ev = (date: string, domaine: string, type: string): EvenementParcours => ({ date, domaine, type, libelle: type });

describe('fusionnerChronologie', () => {
  it('sorts by date, then by domain, and keeps the given order otherwise (stable)', () => {
    const coordination = [ev('2023-02-01', 'COORDINATION', 'CONTRAT'), ev('2023-01-25', 'COORDINATION', 'DIAGNOSTIC')];
    const dl = [ev('2023-01-25', 'DROITS_LOGEMENT', 'SITUATION'), ev('2023-02-01', 'DROITS_LOGEMENT', 'A'), ev('2023-02-01', 'DROITS_LOGEMENT', 'B')];
    const ef = [ev('2023-01-25', 'EMPLOI_FORMATION', 'LANGUE'), ev('2023-01-01', 'EMPLOI_FORMATION', 'AVANT')];
    expect(fusionnerChronologie(ef, dl, coordination).map((e) => `${e.date} ${e.domaine} ${e.type}`)).toEqual([
      '2023-01-01 EMPLOI_FORMATION AVANT',
      '2023-01-25 COORDINATION DIAGNOSTIC',
      '2023-01-25 DROITS_LOGEMENT SITUATION',
      '2023-01-25 EMPLOI_FORMATION LANGUE',
      '2023-02-01 COORDINATION CONTRAT',
      '2023-02-01 DROITS_LOGEMENT A',
      '2023-02-01 DROITS_LOGEMENT B',
    ]);
  });

  it('takes a missing list (a domain that did not answer) as empty', () => {
    expect(fusionnerChronologie([ev('2023-01-01', 'COORDINATION', 'X')], null, undefined)).toHaveLength(1);
  });
});

describe('evenementsCoordination', () => {
  const base = {
    statut: 'CONTRACTUALISE' as const,
    canalOrientation: 'OFII',
    dateOrientation: '2023-01-02',
    dateSignatureCir: '2023-01-02',
    dateDiagnostic: '2023-01-13',
    dateCommission: '2023-01-27',
    dateContrat: '2023-02-17',
    dateSortie: null,
  };

  it('dates each step from the parcours columns when no history was recorded', () => {
    expect(evenementsCoordination(base).map((e) => [e.date, e.type])).toEqual([
      ['2023-01-02', 'SIGNATURE_CIR'],
      ['2023-01-02', 'ORIENTATION'],
      ['2023-01-13', 'DIAGNOSTIC'],
      ['2023-01-27', 'COMMISSION'],
      ['2023-02-17', 'CONTRAT'],
    ]);
  });

  it('uses each recorded transition instead of the column of its step, never both', () => {
    const evenements = evenementsCoordination({
      ...base,
      statut: 'ABANDON',
      dateSortie: '2023-03-01',
      transitions: [
        { action: 'ORIENTER', statutApres: 'ORIENTE', date: '2023-01-02', motif: null },
        { action: 'REALISER_DIAGNOSTIC', statutApres: 'DIAGNOSTIC_REALISE', date: '2023-01-13', motif: null },
        { action: 'ABANDONNER', statutApres: 'ABANDON', date: '2023-03-01', motif: 'Déménagement' },
      ],
    });
    expect(evenements.filter((e) => e.type === 'DIAGNOSTIC')).toHaveLength(1);
    expect(evenements.filter((e) => e.type === 'ABANDON')).toEqual([
      { date: '2023-03-01', domaine: 'COORDINATION', type: 'ABANDON', libelle: "Arrêt de l'accompagnement par la personne (définitif) (Déménagement)" },
    ]);
  });
});
