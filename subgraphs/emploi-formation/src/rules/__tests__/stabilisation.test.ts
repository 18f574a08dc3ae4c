import {
  ActiviteInvalide,
  ORDRE_PREFERENCE,
  categorieActivite,
  estContrat,
  estEnCours,
  estFormation,
  estStabilisant,
  situationProfessionnelle,
  type Activite,
  type ContratTravail,
  type Formation,
} from '../stabilisation';

const contrat = (type: ContratTravail['type'], dateDebut: string, dateFin: string | null): ContratTravail => ({ type, dateDebut, dateFin });
const formation = (type: Formation['type'], dateDebut: string, dateFin: string | null, diplomante?: boolean): Formation =>
  diplomante === undefined ? { type, dateDebut, dateFin } : { type, dateDebut, dateFin, diplomante };

describe('estStabilisant and categorieActivite, one case per type (seed 000 list)', () => {
  it.each<[string, Activite, boolean, string]>([
    ['CDI', contrat('CDI', '2023-01-02', null), true, 'EMPLOI_DURABLE'],
    ['CDI with an end (resignation recorded)', contrat('CDI', '2023-01-02', '2023-03-31'), true, 'EMPLOI_DURABLE'],
    ['CDD of eleven months', contrat('CDD', '2023-01-15', '2023-12-14'), true, 'EMPLOI_DURABLE'],
    ['CDD of three months', contrat('CDD', '2023-05-15', '2023-08-14'), false, 'EMPLOI_COURT'],
    ['CDD without an end date', contrat('CDD', '2023-05-15', null), false, 'EMPLOI_COURT'],
    ['INTERIM, even of a year', contrat('INTERIM', '2023-01-02', '2023-12-31'), false, 'EMPLOI_COURT'],
    ['APPRENTISSAGE', contrat('APPRENTISSAGE', '2023-09-01', '2025-08-31'), true, 'ALTERNANCE'],
    ['PROFESSIONNALISATION', contrat('PROFESSIONNALISATION', '2023-10-16', '2024-10-15'), true, 'ALTERNANCE'],
    ['IAE_ACI, even of two years', contrat('IAE_ACI', '2023-05-02', '2025-05-01'), false, 'INSERTION_ACTIVITE_ECONOMIQUE'],
    ['IAE_EI', contrat('IAE_EI', '2023-05-02', '2024-05-01'), false, 'INSERTION_ACTIVITE_ECONOMIQUE'],
    ['IAE_ETTI', contrat('IAE_ETTI', '2023-05-02', '2023-11-30'), false, 'INSERTION_ACTIVITE_ECONOMIQUE'],
    ['IAE_GEIQ (a contrat de professionnalisation)', contrat('IAE_GEIQ', '2023-10-16', '2024-10-15'), true, 'ALTERNANCE'],
    ['SERVICE_CIVIQUE of eight months', contrat('SERVICE_CIVIQUE', '2023-10-02', '2024-06-01'), false, 'SERVICE_CIVIQUE'],
    ['AUTRE, even open-ended', contrat('AUTRE', '2023-01-02', null), false, 'EMPLOI_COURT'],
    ['LINGUISTIQUE', formation('LINGUISTIQUE', '2023-03-01', '2023-06-30'), false, 'FORMATION_LINGUISTIQUE'],
    ['LINGUISTIQUE leading to a diploma (DELF)', formation('LINGUISTIQUE', '2023-03-01', '2023-06-30', true), false, 'FORMATION_LINGUISTIQUE'],
    ['PRE_QUALIFIANTE', formation('PRE_QUALIFIANTE', '2023-03-01', '2023-12-31'), false, 'FORMATION_PROFESSIONNELLE'],
    ['QUALIFIANTE, even of three months', formation('QUALIFIANTE', '2023-03-01', '2023-05-31'), true, 'FORMATION_PROFESSIONNELLE'],
    ['CERTIFIANTE', formation('CERTIFIANTE', '2023-03-01', null), true, 'FORMATION_PROFESSIONNELLE'],
    ['UNIVERSITAIRE diplomante (licence)', formation('UNIVERSITAIRE', '2024-09-02', '2025-06-30', true), true, 'ETUDES'],
    ['UNIVERSITAIRE not diplomante (DU passerelle)', formation('UNIVERSITAIRE', '2024-09-02', '2025-06-30', false), false, 'ETUDES'],
    ['UNIVERSITAIRE with diplomante unknown', formation('UNIVERSITAIRE', '2024-09-02', '2025-06-30'), false, 'ETUDES'],
  ])('%s', (_label, activite, stabilisant, categorie) => {
    expect(estStabilisant(activite)).toBe(stabilisant);
    expect(categorieActivite(activite)).toBe(categorie);
  });

  it('tells contracts from trainings', () => {
    expect(estContrat(contrat('IAE_GEIQ', '2023-10-16', null))).toBe(true);
    expect(estFormation(contrat('IAE_GEIQ', '2023-10-16', null))).toBe(false);
    expect(estContrat(formation('QUALIFIANTE', '2023-10-16', null))).toBe(false);
    expect(estFormation(formation('QUALIFIANTE', '2023-10-16', null))).toBe(true);
  });
});

describe('CDD of more than six months (seed 000: "CDD de plus de six mois")', () => {
  it.each<[string, string, boolean]>([
    ['2023-01-15', '2023-07-14', false],
    ['2023-01-15', '2023-07-15', false], // exactly six months: addMonths = 2023-07-15
    ['2023-01-15', '2023-07-16', true], // six months and one day
    ['2023-08-31', '2024-02-28', false],
    ['2023-08-31', '2024-02-29', false], // 31 August + 6 months clamps to 29 February 2024 (leap year)
    ['2023-08-31', '2024-03-01', true],
    ['2024-08-31', '2025-02-28', false], // clamps to 28 February 2025
    ['2024-08-31', '2025-03-01', true],
    ['2023-08-29', '2024-02-29', false], // 29 August + 6 months is 29 February too
    ['2023-05-15', '2023-05-15', false], // a one-day CDD
  ])('from %s to %s: %s', (dateDebut, dateFin, attendu) => {
    expect(estStabilisant(contrat('CDD', dateDebut, dateFin))).toBe(attendu);
    expect(categorieActivite(contrat('CDD', dateDebut, dateFin))).toBe(attendu ? 'EMPLOI_DURABLE' : 'EMPLOI_COURT');
  });
});

describe('estEnCours (inclusive periods)', () => {
  const cdd = contrat('CDD', '2023-05-15', '2023-08-14');
  it.each<[string, boolean]>([
    ['2023-05-14', false],
    ['2023-05-15', true],
    ['2023-07-01', true],
    ['2023-08-14', true],
    ['2023-08-15', false],
  ])('a CDD from 2023-05-15 to 2023-08-14 on %s: %s', (jour, attendu) => {
    expect(estEnCours(cdd, jour)).toBe(attendu);
  });

  it('an activity without end date is in progress from its start on', () => {
    expect(estEnCours(contrat('CDI', '2023-11-01', null), '2023-10-31')).toBe(false);
    expect(estEnCours(contrat('CDI', '2023-11-01', null), '2030-01-01')).toBe(true);
  });
});

describe('situationProfessionnelle', () => {
  it('is SANS_ACTIVITE with no activity', () => {
    expect(situationProfessionnelle([], '2023-10-16')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null, activiteRetenue: null });
  });

  it('ignores activities ended before the day', () => {
    const cdi = contrat('CDI', '2020-01-02', '2022-12-31');
    expect(situationProfessionnelle([cdi], '2023-01-01')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null, activiteRetenue: null });
    expect(situationProfessionnelle([cdi], '2022-12-31')).toEqual({ categorie: 'EMPLOI_DURABLE', stabilise: true, depuis: '2020-01-02', activiteRetenue: cdi });
  });

  it('ignores activities that have not started yet (a contract signed for next month)', () => {
    const cdi = contrat('CDI', '2023-11-01', null);
    expect(situationProfessionnelle([cdi], '2023-10-31')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null, activiteRetenue: null });
    expect(situationProfessionnelle([cdi], '2023-11-01')).toEqual({ categorie: 'EMPLOI_DURABLE', stabilise: true, depuis: '2023-11-01', activiteRetenue: cdi });
  });

  describe('overlapping activities: the most favourable one', () => {
    it('a stabilising activity wins over any other (a qualifying training over a short CDD)', () => {
      const cdd = contrat('CDD', '2023-06-01', '2023-08-31');
      const qualifiante = formation('QUALIFIANTE', '2023-05-02', '2023-07-28');
      const situation = situationProfessionnelle([cdd, qualifiante], '2023-07-03');
      expect(situation).toEqual({ categorie: 'FORMATION_PROFESSIONNELLE', stabilise: true, depuis: '2023-05-02', activiteRetenue: qualifiante });
      expect(situation.activiteRetenue).toBe(qualifiante);
      // Once the training is over, the CDD remains, not stabilising.
      expect(situationProfessionnelle([cdd, qualifiante], '2023-07-31')).toEqual({ categorie: 'EMPLOI_COURT', stabilise: false, depuis: null, activiteRetenue: cdd });
    });

    it('a short job wins over a pre-qualifying training', () => {
      const interim = contrat('INTERIM', '2023-06-05', '2023-06-30');
      const prequalifiante = formation('PRE_QUALIFIANTE', '2023-05-02', '2023-09-29');
      expect(situationProfessionnelle([prequalifiante, interim], '2023-06-12')).toEqual({
        categorie: 'EMPLOI_COURT',
        stabilise: false,
        depuis: null,
        activiteRetenue: interim,
      });
    });

    it('durable employment wins over alternance, alternance over a qualifying training, that over a diploma course', () => {
      const cdi = contrat('CDI', '2024-03-01', null);
      const apprentissage = contrat('APPRENTISSAGE', '2023-09-01', '2025-08-31');
      const qualifiante = formation('QUALIFIANTE', '2023-09-01', '2024-06-30');
      const licence = formation('UNIVERSITAIRE', '2023-09-01', '2024-06-30', true);
      expect(situationProfessionnelle([licence, qualifiante, apprentissage, cdi], '2024-03-01').activiteRetenue).toBe(cdi);
      expect(situationProfessionnelle([licence, qualifiante, apprentissage], '2024-03-01').activiteRetenue).toBe(apprentissage);
      expect(situationProfessionnelle([licence, qualifiante], '2024-03-01').activiteRetenue).toBe(qualifiante);
      expect(situationProfessionnelle([licence], '2024-03-01')).toEqual({ categorie: 'ETUDES', stabilise: true, depuis: '2023-09-01', activiteRetenue: licence });
    });

    it('orders the activities that do not stabilise: short job, IAE, service civique, pre-qualifying, studies, language', () => {
      const jour = '2023-11-15';
      const court = contrat('CDD', '2023-11-01', '2023-12-31');
      const aci = contrat('IAE_ACI', '2023-05-02', '2023-12-31');
      const civique = contrat('SERVICE_CIVIQUE', '2023-10-02', '2024-06-01');
      const prequalifiante = formation('PRE_QUALIFIANTE', '2023-09-04', '2023-12-22');
      const du = formation('UNIVERSITAIRE', '2023-09-04', '2024-06-28', false);
      const fle = formation('LINGUISTIQUE', '2023-09-04', '2023-12-22');
      const toutes = [fle, du, prequalifiante, civique, aci, court];
      const retenues: Activite[] = [];
      for (let n = toutes.length; n > 0; n -= 1) {
        const situation = situationProfessionnelle(toutes.slice(0, n), jour);
        expect(situation.stabilise).toBe(false);
        expect(situation.depuis).toBeNull();
        retenues.push(situation.activiteRetenue!);
      }
      expect(retenues).toEqual([court, aci, civique, prequalifiante, du, fle]);
      expect(retenues.map((a) => categorieActivite(a))).toEqual([
        'EMPLOI_COURT',
        'INSERTION_ACTIVITE_ECONOMIQUE',
        'SERVICE_CIVIQUE',
        'FORMATION_PROFESSIONNELLE',
        'ETUDES',
        'FORMATION_LINGUISTIQUE',
      ]);
    });

    it('documents the order it applies', () => {
      expect(ORDRE_PREFERENCE).toEqual({
        stabilisant: ['EMPLOI_DURABLE', 'ALTERNANCE', 'FORMATION_PROFESSIONNELLE', 'ETUDES'],
        nonStabilisant: ['EMPLOI_COURT', 'INSERTION_ACTIVITE_ECONOMIQUE', 'SERVICE_CIVIQUE', 'FORMATION_PROFESSIONNELLE', 'ETUDES', 'FORMATION_LINGUISTIQUE'],
      });
    });

    it('between two activities of the same rank: no end date, then the later end, then the earlier start, then the first given', () => {
      const jour = '2023-06-15';
      const sansFin = contrat('CDD', '2023-06-01', null);
      const finTardive = contrat('INTERIM', '2023-06-01', '2023-09-30');
      const finProche = contrat('CDD', '2023-05-01', '2023-06-30');
      expect(situationProfessionnelle([finProche, finTardive, sansFin], jour).activiteRetenue).toBe(sansFin);
      expect(situationProfessionnelle([finProche, finTardive], jour).activiteRetenue).toBe(finTardive);
      const debutTot = contrat('INTERIM', '2023-05-02', '2023-09-30');
      expect(situationProfessionnelle([finTardive, debutTot], jour).activiteRetenue).toBe(debutTot);
      const jumeau = contrat('INTERIM', '2023-06-01', '2023-09-30');
      expect(situationProfessionnelle([jumeau, finTardive], jour).activiteRetenue).toBe(jumeau);
      expect(situationProfessionnelle([finTardive, jumeau], jour).activiteRetenue).toBe(finTardive);
    });
  });

  describe('depuis: the uninterrupted run of stabilising activities', () => {
    it('goes back through an alternance followed the next day by a CDI', () => {
      const apprentissage = contrat('APPRENTISSAGE', '2021-09-01', '2023-08-31');
      const cdi = contrat('CDI', '2023-09-01', null);
      expect(situationProfessionnelle([cdi, apprentissage], '2024-01-10')).toEqual({
        categorie: 'EMPLOI_DURABLE',
        stabilise: true,
        depuis: '2021-09-01',
        activiteRetenue: cdi,
      });
    });

    it('stops at a gap of a day', () => {
      const apprentissage = contrat('APPRENTISSAGE', '2021-09-01', '2023-08-31');
      const cdi = contrat('CDI', '2023-09-02', null);
      expect(situationProfessionnelle([apprentissage, cdi], '2024-01-10').depuis).toBe('2023-09-02');
    });

    it('goes back through overlapping stabilising activities, whatever their order', () => {
      const qualifiante = formation('QUALIFIANTE', '2022-01-10', '2022-09-30');
      const apprentissage = contrat('APPRENTISSAGE', '2022-09-01', '2024-08-31');
      const cdi = contrat('CDI', '2024-09-01', null);
      expect(situationProfessionnelle([cdi, apprentissage, qualifiante], '2025-01-02').depuis).toBe('2022-01-10');
      expect(situationProfessionnelle([qualifiante, cdi, apprentissage], '2025-01-02').depuis).toBe('2022-01-10');
    });

    it('is not carried back by activities that do not stabilise', () => {
      const interim = contrat('INTERIM', '2023-01-02', '2023-08-31');
      const cddLong = contrat('CDD', '2023-09-01', '2024-08-31');
      expect(situationProfessionnelle([interim, cddLong], '2023-12-01')).toEqual({
        categorie: 'EMPLOI_DURABLE',
        stabilise: true,
        depuis: '2023-09-01',
        activiteRetenue: cddLong,
      });
    });
  });

  describe('seed 002, Madame B.: CDD de remplacement in May 2023, then a contrat professionnel with the GEIQ propreté in October 2023', () => {
    // The vignette gives months only; the CDD is taken as three months.
    const cddRemplacement = contrat('CDD', '2023-05-15', '2023-08-14');
    const geiq = contrat('IAE_GEIQ', '2023-10-16', '2024-10-15');
    const parcours = [cddRemplacement, geiq];

    it('the CDD de remplacement does not stabilise, the GEIQ contract does', () => {
      expect(estStabilisant(cddRemplacement)).toBe(false);
      expect(estStabilisant(geiq)).toBe(true);
    });

    it.each<[string, string, boolean]>([
      ['2023-05-14', 'SANS_ACTIVITE', false],
      ['2023-05-15', 'EMPLOI_COURT', false],
      ['2023-08-14', 'EMPLOI_COURT', false],
      ['2023-08-15', 'SANS_ACTIVITE', false],
      ['2023-10-12', 'SANS_ACTIVITE', false], // the day of the webinar (seed 002)
      ['2023-10-15', 'SANS_ACTIVITE', false],
    ])('on %s: %s, not stabilised', (jour, categorie, stabilise) => {
      expect(situationProfessionnelle(parcours, jour)).toEqual({
        categorie,
        stabilise,
        depuis: null,
        activiteRetenue: categorie === 'EMPLOI_COURT' ? cddRemplacement : null,
      });
    });

    it.each(['2023-10-16', '2024-04-16', '2024-10-15'])('on %s: ALTERNANCE, stabilised since the GEIQ contract started', (jour) => {
      expect(situationProfessionnelle(parcours, jour)).toEqual({ categorie: 'ALTERNANCE', stabilise: true, depuis: '2023-10-16', activiteRetenue: geiq });
    });

    it('is the same when the referent records the GEIQ contract as PROFESSIONNALISATION', () => {
      const pro = contrat('PROFESSIONNALISATION', '2023-10-16', '2024-10-15');
      expect(situationProfessionnelle([cddRemplacement, pro], '2023-10-15').stabilise).toBe(false);
      expect(situationProfessionnelle([cddRemplacement, pro], '2023-12-01')).toEqual({
        categorie: 'ALTERNANCE',
        stabilise: true,
        depuis: '2023-10-16',
        activiteRetenue: pro,
      });
    });

    it('is no longer stabilised once the contract has ended with nothing after it', () => {
      expect(situationProfessionnelle(parcours, '2024-10-16')).toEqual({ categorie: 'SANS_ACTIVITE', stabilise: false, depuis: null, activiteRetenue: null });
    });
  });

  describe('seed 002, Monsieur J.: French courses, then an eight-month service civique, then a DU passerelle', () => {
    const fle = formation('LINGUISTIQUE', '2023-03-01', '2023-06-30');
    const serviceCivique = contrat('SERVICE_CIVIQUE', '2023-10-02', '2024-06-01');
    const duPasserelle = formation('UNIVERSITAIRE', '2024-09-02', '2025-06-30', false);
    const parcours = [fle, serviceCivique, duPasserelle];

    it('the eight-month service civique lasts more than six months but is not on the list of seed 000', () => {
      expect(estStabilisant(serviceCivique)).toBe(false);
    });

    it.each<[string, string, Activite | null]>([
      ['2023-04-15', 'FORMATION_LINGUISTIQUE', fle],
      ['2023-09-15', 'SANS_ACTIVITE', null],
      ['2023-11-15', 'SERVICE_CIVIQUE', serviceCivique],
      ['2024-06-01', 'SERVICE_CIVIQUE', serviceCivique],
      ['2024-10-01', 'ETUDES', duPasserelle],
    ])('on %s: %s, not stabilised', (jour, categorie, activiteRetenue) => {
      expect(situationProfessionnelle(parcours, jour)).toEqual({ categorie, stabilise: false, depuis: null, activiteRetenue });
    });
  });

  it('seed 002, Monsieur A.: the ACI with French courses on the other days is INSERTION_ACTIVITE_ECONOMIQUE, not stabilised', () => {
    const fle = formation('LINGUISTIQUE', '2023-04-03', '2023-09-29');
    const aci = contrat('IAE_ACI', '2023-05-02', '2023-10-31');
    expect(situationProfessionnelle([fle, aci], '2023-06-14')).toEqual({
      categorie: 'INSERTION_ACTIVITE_ECONOMIQUE',
      stabilise: false,
      depuis: null,
      activiteRetenue: aci,
    });
  });
});

describe('invalid activities', () => {
  it('refuses an end before the start', () => {
    expect(() => estStabilisant(contrat('CDD', '2023-05-15', '2023-05-14'))).toThrow(
      new ActiviteInvalide('La date de fin (2023-05-14) est antérieure à la date de début (2023-05-15).'),
    );
  });

  it('refuses dates that are not calendar dates', () => {
    expect(() => estStabilisant(contrat('CDI', '2023-02-30', null))).toThrow(
      new ActiviteInvalide('La date de début "2023-02-30" n\'est pas une date du calendrier au format AAAA-MM-JJ.'),
    );
    expect(() => categorieActivite(contrat('CDD', '2023-02-01', '01/03/2023'))).toThrow(
      new ActiviteInvalide('La date de fin "01/03/2023" n\'est pas une date du calendrier au format AAAA-MM-JJ (ou null si elle n\'est pas connue).'),
    );
  });

  it('refuses an unknown type', () => {
    const inconnu = { type: 'STAGE', dateDebut: '2023-05-15', dateFin: null } as unknown as Activite;
    expect(() => estStabilisant(inconnu)).toThrow(
      new ActiviteInvalide(
        'Le type d\'activité "STAGE" est inconnu. Types de contrat : CDI, CDD, INTERIM, APPRENTISSAGE, PROFESSIONNALISATION, IAE_ACI, IAE_EI, IAE_ETTI, IAE_GEIQ, SERVICE_CIVIQUE, AUTRE ; types de formation : LINGUISTIQUE, PRE_QUALIFIANTE, QUALIFIANTE, CERTIFIANTE, UNIVERSITAIRE.',
      ),
    );
    expect(() => situationProfessionnelle([contrat('CDI', '2020-01-01', null), inconnu], '2023-01-01')).toThrow(ActiviteInvalide);
  });

  it('refuses an evaluation day that is not a date, and checks activities even when not in progress', () => {
    expect(() => situationProfessionnelle([], '2023-13-01')).toThrow(
      new ActiviteInvalide('La date d\'évaluation "2023-13-01" n\'est pas une date du calendrier au format AAAA-MM-JJ.'),
    );
    expect(() => situationProfessionnelle([contrat('CDD', '2030-05-15', '2030-05-01')], '2023-01-01')).toThrow(ActiviteInvalide);
  });

  it('ActiviteInvalide is an Error with its own name', () => {
    const error = new ActiviteInvalide('x');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ActiviteInvalide');
  });
});
