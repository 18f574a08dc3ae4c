import { alertes, dateMiParcours, echeances, type CodeAlerte, type OptionsAlertes, type ParcoursEcheances } from '../deadlines';

function alerte(parcours: ParcoursEcheances, aujourdhui: string, code: CodeAlerte, options?: OptionsAlertes) {
  return alertes(parcours, aujourdhui, options).find((a) => a.code === code);
}

const binome = { referentDroitsLogementDesigne: true, referentEmploiFormationDesigne: true };

describe('DIAGNOSTIC (one month after the CIR)', () => {
  // CIR signed on 31 January 2023: due on 28 February 2023.
  const oriente: ParcoursEcheances = { statut: 'CONVOQUE', dateSignatureCir: '2023-01-31', dateOrientation: '2023-01-31' };

  it('is silent until 14 days before, then BIENTOT up to the due day, then EN_RETARD', () => {
    expect(alerte(oriente, '2023-02-13', 'DIAGNOSTIC')).toBeUndefined();
    expect(alerte(oriente, '2023-02-14', 'DIAGNOSTIC')).toEqual({
      code: 'DIAGNOSTIC',
      message: 'Entretien diagnostic à réaliser au plus tard le 28/02/2023 (un mois au plus après la signature du CIR le 31/01/2023), dans 14 jours.',
      dateEcheance: '2023-02-28',
      niveau: 'BIENTOT',
      joursRestants: 14,
    });
    expect(alerte(oriente, '2023-02-28', 'DIAGNOSTIC')).toEqual({
      code: 'DIAGNOSTIC',
      message: "Entretien diagnostic à réaliser au plus tard le 28/02/2023 (un mois au plus après la signature du CIR le 31/01/2023), c'est-à-dire aujourd'hui.",
      dateEcheance: '2023-02-28',
      niveau: 'BIENTOT',
      joursRestants: 0,
    });
    expect(alerte(oriente, '2023-03-01', 'DIAGNOSTIC')).toEqual({
      code: 'DIAGNOSTIC',
      message: 'Entretien diagnostic en retard : à réaliser au plus tard le 28/02/2023 (un mois au plus après la signature du CIR le 31/01/2023), 1 jour de retard.',
      dateEcheance: '2023-02-28',
      niveau: 'EN_RETARD',
      joursRestants: -1,
    });
  });

  it('falls on 29 February in a leap year', () => {
    expect(alerte({ ...oriente, dateSignatureCir: '2024-01-31', dateOrientation: '2024-01-31' }, '2024-03-01', 'DIAGNOSTIC')?.dateEcheance).toBe('2024-02-29');
  });

  it('counts from a later orientation (fiche de liaison for a BPI of year N-1)', () => {
    const a = alerte({ statut: 'ORIENTE', dateSignatureCir: '2022-06-10', dateOrientation: '2023-03-15' }, '2023-04-10', 'DIAGNOSTIC');
    expect(a?.dateEcheance).toBe('2023-04-15');
    expect(a?.message).toBe("Entretien diagnostic à réaliser au plus tard le 15/04/2023 (un mois au plus après l'orientation du 15/03/2023), dans 5 jours.");
  });

  it('records the deadline as kept or missed once the diagnostic is done, and stops alerting', () => {
    const fait = { ...oriente, statut: 'DIAGNOSTIC_REALISE' as const, dateDiagnostic: '2023-02-28' };
    expect(echeances(fait, '2023-03-10')).toEqual([
      {
        code: 'DIAGNOSTIC',
        libelle: 'Entretien diagnostic',
        dateEcheance: '2023-02-28',
        dateRealisation: '2023-02-28',
        etat: 'RESPECTEE',
        joursRestants: null,
        explication: 'un mois au plus après la signature du CIR le 31/01/2023',
      },
    ]);
    expect(echeances({ ...fait, dateDiagnostic: '2023-03-01' }, '2023-03-10')[0]?.etat).toBe('NON_RESPECTEE');
    expect(alertes(fait, '2023-03-10')).toEqual([]);
  });

  it('reports the pending deadline as A_VENIR or EN_RETARD', () => {
    expect(echeances(oriente, '2023-02-28')[0]?.etat).toBe('A_VENIR');
    expect(echeances(oriente, '2023-03-01')[0]?.etat).toBe('EN_RETARD');
  });

  it('no longer applies after an abandonment', () => {
    expect(echeances({ ...oriente, statut: 'ABANDON' }, '2023-03-10')).toEqual([]);
    expect(alertes({ ...oriente, statut: 'ABANDON' }, '2023-03-10')).toEqual([]);
  });
});

describe('CONTRACTUALISATION (three weeks after the commission)', () => {
  // Commission on 31 January 2023: due on 21 February 2023.
  const commission: ParcoursEcheances = { statut: 'COMMISSION_REALISEE', dateOrientation: '2023-01-05', dateCommission: '2023-01-31', ...binome };

  it.each([
    ['2023-02-06', undefined],
    ['2023-02-07', 'BIENTOT'],
    ['2023-02-21', 'BIENTOT'],
    ['2023-02-22', 'EN_RETARD'],
  ])('on %s: %s', (jour, niveau) => {
    const a = alerte(commission, jour, 'CONTRACTUALISATION');
    expect(a?.niveau).toBe(niveau);
    if (a) expect(a.dateEcheance).toBe('2023-02-21');
  });

  it('says how late it is', () => {
    expect(alerte(commission, '2023-02-24', 'CONTRACTUALISATION')?.message).toBe(
      "Signature du contrat d'engagement réciproque en retard : à réaliser au plus tard le 21/02/2023 (sous 3 semaines après la commission d'attribution du 31/01/2023), 3 jours de retard.",
    );
  });

  it('is kept when the contract is signed within three weeks', () => {
    const signe = { ...commission, statut: 'CONTRACTUALISE' as const, dateContrat: '2023-02-17' };
    const e = echeances(signe, '2023-03-01').find((x) => x.code === 'CONTRACTUALISATION');
    expect(e?.etat).toBe('RESPECTEE');
    expect(alerte(signe, '2023-03-01', 'CONTRACTUALISATION')).toBeUndefined();
  });
});

describe('BINOME_NON_DESIGNE (after the commission)', () => {
  const base: ParcoursEcheances = { statut: 'COMMISSION_REALISEE', dateOrientation: '2023-01-05', dateCommission: '2023-02-01' };

  it('alerts from the commission day when a referent is missing', () => {
    expect(alerte({ ...base, referentDroitsLogementDesigne: true, referentEmploiFormationDesigne: false }, '2023-02-01', 'BINOME_NON_DESIGNE')).toEqual({
      code: 'BINOME_NON_DESIGNE',
      message: "Binôme de référents incomplet : le référent Emploi & Formation aurait dû être désigné lors de la commission d'attribution du 01/02/2023.",
      dateEcheance: '2023-02-01',
      niveau: 'EN_RETARD',
      joursRestants: 0,
    });
    expect(alerte({ ...base, referentDroitsLogementDesigne: null, referentEmploiFormationDesigne: null }, '2023-02-10', 'BINOME_NON_DESIGNE')?.message).toBe(
      "Binôme de référents incomplet : le référent Droits & Logement et le référent Emploi & Formation auraient dû être désignés lors de la commission d'attribution du 01/02/2023.",
    );
  });

  it('still alerts during the accompaniment', () => {
    expect(alerte({ ...base, statut: 'CONTRACTUALISE', dateContrat: '2023-02-17', referentDroitsLogementDesigne: false, referentEmploiFormationDesigne: true }, '2023-03-01', 'BINOME_NON_DESIGNE')?.niveau).toBe('EN_RETARD');
  });

  it('is silent before the commission and once both referents are named', () => {
    expect(alerte({ ...base, statut: 'DIAGNOSTIC_REALISE', dateCommission: null }, '2023-02-10', 'BINOME_NON_DESIGNE')).toBeUndefined();
    expect(alerte({ ...base, ...binome }, '2023-02-10', 'BINOME_NON_DESIGNE')).toBeUndefined();
  });
});

describe('EVALUATION_MI_PARCOURS (halfway through the contract)', () => {
  // Contract on 31 January 2023, end on 31 January 2025: halfway on 31 January 2024.
  const accompagne: ParcoursEcheances = { statut: 'CONTRACTUALISE', dateOrientation: '2023-01-05', dateContrat: '2023-01-31', dateDerniereActivite: '2024-01-15', ...binome };

  it.each([
    ['2024-01-16', undefined],
    ['2024-01-17', 'BIENTOT'],
    ['2024-01-31', 'BIENTOT'],
    ['2024-02-01', 'EN_RETARD'],
  ])('on %s: %s', (jour, niveau) => {
    const a = alerte(accompagne, jour, 'EVALUATION_MI_PARCOURS');
    expect(a?.niveau).toBe(niveau);
    if (a) expect(a.dateEcheance).toBe('2024-01-31');
  });

  it('is done once the mid-course evaluation is recorded', () => {
    const evalue = { ...accompagne, evaluations: { ENTREE: '2023-02-15', MI_PARCOURS: '2024-01-20' } };
    expect(alerte(evalue, '2024-02-01', 'EVALUATION_MI_PARCOURS')).toBeUndefined();
    expect(echeances(evalue, '2024-02-01').find((e) => e.code === 'EVALUATION_MI_PARCOURS')?.etat).toBe('RESPECTEE');
  });

  it('starts again after a reintegration', () => {
    const reintegre = { ...accompagne, dateReintegration: '2025-03-10', evaluations: { MI_PARCOURS: '2024-01-20' } };
    const a = alerte(reintegre, '2025-09-11', 'EVALUATION_MI_PARCOURS');
    expect(a?.dateEcheance).toBe('2025-09-10');
    expect(a?.niveau).toBe('EN_RETARD');
  });

  it('computes halfway in months for an even number of months, in days otherwise', () => {
    expect(dateMiParcours('2023-01-31', '2025-01-31')).toBe('2024-01-31');
    expect(dateMiParcours('2024-01-31', '2026-01-31')).toBe('2025-01-31');
    expect(dateMiParcours('2025-03-10', '2026-03-10')).toBe('2025-09-10');
    expect(dateMiParcours('2023-08-31', '2024-02-29')).toBe('2023-11-30');
    expect(dateMiParcours('2023-01-31', '2023-08-15')).toBe('2023-05-09');
  });
});

describe('FIN_ACCOMPAGNEMENT (the contract end, 24 months)', () => {
  const accompagne: ParcoursEcheances = {
    statut: 'CONTRACTUALISE',
    dateOrientation: '2023-01-05',
    dateContrat: '2023-01-31',
    dateDerniereActivite: '2025-01-10',
    evaluations: { MI_PARCOURS: '2024-01-20' },
    ...binome,
  };

  it.each([
    ['2025-01-16', undefined],
    ['2025-01-17', 'BIENTOT'],
    ['2025-01-31', 'BIENTOT'],
    ['2025-02-01', 'EN_RETARD'],
  ])('on %s: %s', (jour, niveau) => {
    const a = alerte(accompagne, jour, 'FIN_ACCOMPAGNEMENT');
    expect(a?.niveau).toBe(niveau);
    if (a) expect(a.dateEcheance).toBe('2025-01-31');
  });

  it('tells what to do', () => {
    expect(alerte(accompagne, '2025-01-31', 'FIN_ACCOMPAGNEMENT')?.message).toBe(
      "Fin de l'accompagnement le 31/01/2025 (24 mois au plus après la signature du contrat le 31/01/2023), aujourd'hui ; préparer la sortie.",
    );
    expect(alerte(accompagne, '2025-02-03', 'FIN_ACCOMPAGNEMENT')?.message).toBe(
      "Fin de l'accompagnement dépassée : l'accompagnement a pris fin le 31/01/2025 (24 mois au plus après la signature du contrat le 31/01/2023), il y a 3 jours ; constater la sortie ou la fin de droits.",
    );
  });

  it('uses a shorter written end and the 12 months of a reintegration', () => {
    expect(alerte({ ...accompagne, dateFinContrat: '2024-06-30' }, '2024-06-20', 'FIN_ACCOMPAGNEMENT')?.message).toBe(
      "Fin de l'accompagnement le 30/06/2024 (date de fin inscrite au contrat), dans 10 jours ; préparer la sortie.",
    );
    expect(alerte({ ...accompagne, dateReintegration: '2025-03-10', dateDerniereActivite: '2026-03-01' }, '2026-03-01', 'FIN_ACCOMPAGNEMENT')?.message).toBe(
      "Fin de l'accompagnement le 10/03/2026 (12 mois au plus après la réintégration du 10/03/2025), dans 9 jours ; préparer la sortie.",
    );
  });

  it('does not apply once the person has left', () => {
    expect(alerte({ ...accompagne, statut: 'SORTI', dateSortie: '2024-11-30' }, '2025-02-01', 'FIN_ACCOMPAGNEMENT')).toBeUndefined();
    expect(alerte({ ...accompagne, statut: 'FIN_DE_DROITS' }, '2025-02-01', 'FIN_ACCOMPAGNEMENT')).toBeUndefined();
  });
});

describe('SUIVI_3_MOIS and SUIVI_6_MOIS (3 and 6 months after the exit)', () => {
  // Exit on 31 January 2024: 3 months on 30 April, 6 months on 31 July.
  const sorti: ParcoursEcheances = { statut: 'SORTI', dateOrientation: '2023-01-05', dateContrat: '2023-02-17', dateSortie: '2024-01-31' };

  it.each([
    ['2024-04-15', undefined],
    ['2024-04-16', 'BIENTOT'],
    ['2024-04-30', 'BIENTOT'],
    ['2024-05-01', 'EN_RETARD'],
  ])('3 months, on %s: %s', (jour, niveau) => {
    const a = alerte(sorti, jour, 'SUIVI_3_MOIS');
    expect(a?.niveau).toBe(niveau);
    if (a) expect(a.dateEcheance).toBe('2024-04-30');
  });

  const suivi3 = { ...sorti, statut: 'SUIVI_3_MOIS' as const, dateSuivi3Mois: '2024-04-29' };
  it.each([
    ['2024-07-16', undefined],
    ['2024-07-17', 'BIENTOT'],
    ['2024-07-31', 'BIENTOT'],
    ['2024-08-01', 'EN_RETARD'],
  ])('6 months, on %s: %s', (jour, niveau) => {
    const a = alerte(suivi3, jour, 'SUIVI_6_MOIS');
    expect(a?.niveau).toBe(niveau);
    if (a) expect(a.dateEcheance).toBe('2024-07-31');
  });

  it('gives the message of a late follow-up', () => {
    expect(alerte(sorti, '2024-05-06', 'SUIVI_3_MOIS')?.message).toBe(
      'Entretien de suivi à 3 mois en retard : à réaliser au plus tard le 30/04/2024 (3 mois après la sortie du 31/01/2024), 6 jours de retard.',
    );
  });

  it('also announces the 6-month follow-up when the 3-month one is still not done', () => {
    expect(alertes(sorti, '2024-07-20').map((a) => [a.code, a.niveau])).toEqual([
      ['SUIVI_3_MOIS', 'EN_RETARD'],
      ['SUIVI_6_MOIS', 'BIENTOT'],
    ]);
  });

  it('records both follow-ups once the parcours is closed, with no alert', () => {
    const clos = { ...sorti, statut: 'CLOS' as const, dateSuivi3Mois: '2024-04-29', dateSuivi6Mois: '2024-08-05' };
    // The deadlines never done before the exit (mid-course evaluation, say) no longer apply.
    expect(echeances(clos, '2024-09-01').map((e) => [e.code, e.etat])).toEqual([
      ['SUIVI_3_MOIS', 'RESPECTEE'],
      ['SUIVI_6_MOIS', 'NON_RESPECTEE'],
    ]);
    expect(alertes(clos, '2024-09-01')).toEqual([]);
  });
});

describe('SANS_ACTIVITE (nothing recorded for 60 days)', () => {
  // Last activity on 1 March 2023: 60 days later is 30 April 2023.
  const accompagne: ParcoursEcheances = { statut: 'CONTRACTUALISE', dateOrientation: '2023-01-05', dateContrat: '2023-01-31', dateDerniereActivite: '2023-03-01', ...binome };

  it.each([
    ['2023-04-15', undefined],
    ['2023-04-16', 'BIENTOT'],
    ['2023-04-30', 'BIENTOT'],
    ['2023-05-01', 'EN_RETARD'],
  ])('on %s: %s', (jour, niveau) => {
    const a = alerte(accompagne, jour, 'SANS_ACTIVITE');
    expect(a?.niveau).toBe(niveau);
    if (a) expect(a.dateEcheance).toBe('2023-04-30');
  });

  it('says since when nothing happened', () => {
    expect(alerte(accompagne, '2023-05-01', 'SANS_ACTIVITE')?.message).toBe(
      "Parcours sans activité : rien n'est enregistré depuis le 01/03/2023 (61 jours, au-delà de 60 jours) ; reprendre contact avec la personne.",
    );
    expect(alerte(accompagne, '2023-04-20', 'SANS_ACTIVITE')?.message).toBe(
      "Parcours bientôt sans activité : rien n'est enregistré depuis le 01/03/2023 ; le seuil de 60 jours sera atteint le 30/04/2023 (dans 10 jours).",
    );
  });

  it('takes the threshold from the options', () => {
    expect(alerte(accompagne, '2023-04-01', 'SANS_ACTIVITE', { joursSansActivite: 30 })?.dateEcheance).toBe('2023-03-31');
    expect(alerte(accompagne, '2023-04-01', 'SANS_ACTIVITE', { joursSansActivite: 30 })?.niveau).toBe('EN_RETARD');
  });

  it('counts a later milestone of the parcours as activity', () => {
    expect(alerte({ ...accompagne, dateDerniereActivite: null, dateContrat: '2023-03-10' }, '2023-05-01', 'SANS_ACTIVITE')?.dateEcheance).toBe('2023-05-09');
  });

  it('does not apply after the exit', () => {
    expect(alerte({ ...accompagne, statut: 'SORTI', dateSortie: '2023-03-01' }, '2023-06-01', 'SANS_ACTIVITE')).toBeUndefined();
  });
});

describe('EXCLUSION_POSSIBLE (two refused housing offers)', () => {
  const accompagne: ParcoursEcheances = { statut: 'CONTRACTUALISE', dateOrientation: '2023-01-05', dateContrat: '2023-01-31', dateDerniereActivite: '2023-06-01', ...binome };

  it('is silent after one refusal and alerts from the second', () => {
    expect(alerte({ ...accompagne, nombreRefusLogement: 1 }, '2023-06-10', 'EXCLUSION_POSSIBLE')).toBeUndefined();
    expect(alerte({ ...accompagne, nombreRefusLogement: 2, dateDernierRefusLogement: '2023-06-01' }, '2023-06-10', 'EXCLUSION_POSSIBLE')).toEqual({
      code: 'EXCLUSION_POSSIBLE',
      message:
        'La personne a refusé 2 propositions de logement, le dernier le 01/06/2023 : une exclusion peut être décidée pour non-respect des engagements (deux refus de logement).',
      dateEcheance: '2023-06-01',
      niveau: 'EN_RETARD',
      joursRestants: -9,
    });
    expect(alerte({ ...accompagne, nombreRefusLogement: 3 }, '2023-06-10', 'EXCLUSION_POSSIBLE')?.dateEcheance).toBe('2023-06-10');
  });

  it('applies only during the accompaniment', () => {
    expect(alerte({ ...accompagne, statut: 'COMMISSION_REALISEE', nombreRefusLogement: 2 }, '2023-06-10', 'EXCLUSION_POSSIBLE')).toBeUndefined();
    expect(alerte({ ...accompagne, statut: 'EXCLU', nombreRefusLogement: 2 }, '2023-06-10', 'EXCLUSION_POSSIBLE')).toBeUndefined();
  });
});

describe('options and inputs', () => {
  const oriente: ParcoursEcheances = { statut: 'ORIENTE', dateSignatureCir: '2023-01-31', dateOrientation: '2023-01-31' };

  it('announces deadlines joursAvantEcheance days ahead', () => {
    expect(alerte(oriente, '2023-02-27', 'DIAGNOSTIC', { joursAvantEcheance: 0 })).toBeUndefined();
    expect(alerte(oriente, '2023-02-28', 'DIAGNOSTIC', { joursAvantEcheance: 0 })?.niveau).toBe('BIENTOT');
    expect(alerte(oriente, '2023-01-31', 'DIAGNOSTIC', { joursAvantEcheance: 30 })?.niveau).toBe('BIENTOT');
  });

  it('rejects negative or fractional options and malformed dates', () => {
    expect(() => alertes(oriente, '2023-02-01', { joursAvantEcheance: -1 })).toThrow(RangeError);
    expect(() => alertes(oriente, '2023-02-01', { joursSansActivite: 1.5 })).toThrow(RangeError);
    expect(() => alertes(oriente, '2023-02-29')).toThrow(TypeError);
    expect(() => echeances({ ...oriente, dateSignatureCir: '31/01/2023' }, '2023-02-01')).toThrow(TypeError);
  });

  it('sorts alerts by due date', () => {
    const p: ParcoursEcheances = {
      statut: 'CONTRACTUALISE',
      dateOrientation: '2023-01-05',
      dateCommission: '2023-01-20',
      dateContrat: '2023-01-31',
      dateDerniereActivite: '2023-12-01',
      referentDroitsLogementDesigne: true,
      referentEmploiFormationDesigne: false,
      nombreRefusLogement: 2,
      dateDernierRefusLogement: '2023-11-15',
    };
    expect(alertes(p, '2024-02-05').map((a) => [a.code, a.dateEcheance, a.niveau])).toEqual([
      ['BINOME_NON_DESIGNE', '2023-01-20', 'EN_RETARD'],
      ['EXCLUSION_POSSIBLE', '2023-11-15', 'EN_RETARD'],
      ['SANS_ACTIVITE', '2024-01-30', 'EN_RETARD'],
      ['EVALUATION_MI_PARCOURS', '2024-01-31', 'EN_RETARD'],
    ]);
  });
});
