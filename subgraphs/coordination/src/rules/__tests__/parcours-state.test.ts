import {
  ACTIONS_PARCOURS,
  MOTIFS_EXCLUSION,
  STATUTS_DEFINITIFS,
  STATUTS_PARCOURS,
  TRANSITIONS,
  TransitionInvalide,
  actionsDepuis,
  actionsPermises,
  appliquerTransition,
  dateFinContratEffective,
  datePlusTotSuivi,
  type ActionParcours,
  type ContexteTransition,
  type StatutParcours,
} from '../parcours-state';

/** Calls appliquerTransition and returns the TransitionInvalide it throws (fails if it does not). */
function refus(statut: StatutParcours, action: ActionParcours, contexte: ContexteTransition): TransitionInvalide {
  try {
    appliquerTransition(statut, action, contexte);
  } catch (e) {
    if (e instanceof TransitionInvalide) return e;
    throw e;
  }
  throw new Error(`${action} depuis ${statut} aurait dû être refusée`);
}

// Every guard satisfied: the contract ended long ago, the follow-up dates are past, the criteria met.
const permissif: ContexteTransition = {
  aujourdhui: '2030-01-01',
  dateContrat: '2023-02-17',
  dateSortie: '2024-01-31',
  criteresSortieRemplis: true,
  referenceAccordPrefet: 'PREF-44-2024-001',
  motifExclusion: 'VIOLENCE_MENACES',
};

describe('the transition table', () => {
  it('covers the thirteen statuts and has refusal, abandonment and exclusion as its only definitive ends', () => {
    expect(STATUTS_PARCOURS).toEqual([
      'ORIENTE',
      'CONVOQUE',
      'DIAGNOSTIC_REALISE',
      'COMMISSION_REALISEE',
      'CONTRACTUALISE',
      'SORTI',
      'SUIVI_3_MOIS',
      'SUIVI_6_MOIS',
      'CLOS',
      'REFUS_CONTRACTUALISATION',
      'ABANDON',
      'EXCLU',
      'FIN_DE_DROITS',
    ]);
    expect(STATUTS_DEFINITIFS).toEqual(['REFUS_CONTRACTUALISATION', 'ABANDON', 'EXCLU']);
  });

  it.each<[StatutParcours, ActionParcours[]]>([
    ['ORIENTE', ['CONVOQUER', 'ABANDONNER']],
    ['CONVOQUE', ['REALISER_DIAGNOSTIC', 'ABANDONNER']],
    ['DIAGNOSTIC_REALISE', ['TENIR_COMMISSION', 'REFUSER_CONTRAT', 'ABANDONNER']],
    ['COMMISSION_REALISEE', ['CONTRACTUALISER', 'REFUSER_CONTRAT', 'ABANDONNER']],
    ['CONTRACTUALISE', ['SORTIR', 'CONSTATER_FIN_DE_DROITS', 'EXCLURE', 'ABANDONNER']],
    ['SORTI', ['REALISER_SUIVI_3_MOIS', 'REINTEGRER']],
    ['SUIVI_3_MOIS', ['REALISER_SUIVI_6_MOIS', 'REINTEGRER']],
    ['SUIVI_6_MOIS', ['CLORE', 'REINTEGRER']],
    ['CLOS', ['REINTEGRER']],
    ['FIN_DE_DROITS', ['REINTEGRER']],
    ['REFUS_CONTRACTUALISATION', []],
    ['ABANDON', []],
    ['EXCLU', []],
  ])('from %s: %j', (statut, attendu) => {
    expect(actionsDepuis(statut)).toEqual(attendu);
    expect(actionsPermises(statut, permissif)).toEqual(attendu);
  });

  it('rejects an unknown statut', () => {
    expect(() => actionsDepuis('PERDU' as StatutParcours)).toThrow(TypeError);
  });
});

describe('the happy path', () => {
  it('goes from ORIENTE to CLOS', () => {
    // Madame B. (seed 002): diagnostic on 13/01/2023, contract on 17/02/2023; an exit on 31/01/2024.
    const etapes: [ActionParcours, ContexteTransition, StatutParcours][] = [
      ['CONVOQUER', { aujourdhui: '2023-01-05' }, 'CONVOQUE'],
      ['REALISER_DIAGNOSTIC', { aujourdhui: '2023-01-13' }, 'DIAGNOSTIC_REALISE'],
      ['TENIR_COMMISSION', { aujourdhui: '2023-02-01' }, 'COMMISSION_REALISEE'],
      ['CONTRACTUALISER', { aujourdhui: '2023-02-17' }, 'CONTRACTUALISE'],
      ['SORTIR', { aujourdhui: '2024-01-31', dateContrat: '2023-02-17', criteresSortieRemplis: true }, 'SORTI'],
      ['REALISER_SUIVI_3_MOIS', { aujourdhui: '2024-04-30', dateSortie: '2024-01-31' }, 'SUIVI_3_MOIS'],
      ['REALISER_SUIVI_6_MOIS', { aujourdhui: '2024-07-31', dateSortie: '2024-01-31' }, 'SUIVI_6_MOIS'],
      ['CLORE', { aujourdhui: '2024-08-05', dateSortie: '2024-01-31' }, 'CLOS'],
    ];
    let statut: StatutParcours = 'ORIENTE';
    for (const [action, contexte, attendu] of etapes) {
      const r = appliquerTransition(statut, action, contexte);
      expect(r.statut).toBe(attendu);
      expect(r.action).toBe(action);
      expect(r.date).toBe(contexte.aujourdhui);
      statut = r.statut;
    }
    expect(statut).toBe('CLOS');
  });

  it('dates the end of a new contract 24 months after its signature, clamped at the month end', () => {
    expect(appliquerTransition('COMMISSION_REALISEE', 'CONTRACTUALISER', { aujourdhui: '2023-02-17' })).toEqual({
      statut: 'CONTRACTUALISE',
      action: 'CONTRACTUALISER',
      date: '2023-02-17',
      dateFinContrat: '2025-02-17',
    });
    expect(appliquerTransition('COMMISSION_REALISEE', 'CONTRACTUALISER', { aujourdhui: '2022-02-28' }).dateFinContrat).toBe('2024-02-28');
    // A shorter written end is kept; a longer one is capped at 24 months.
    expect(appliquerTransition('COMMISSION_REALISEE', 'CONTRACTUALISER', { aujourdhui: '2023-02-17', dateFinContrat: '2024-08-17' }).dateFinContrat).toBe('2024-08-17');
    expect(appliquerTransition('COMMISSION_REALISEE', 'CONTRACTUALISER', { aujourdhui: '2023-02-17', dateFinContrat: '2025-06-30' }).dateFinContrat).toBe('2025-02-17');
  });
});

describe('the ends', () => {
  it.each<StatutParcours>(['DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE'])('REFUSER_CONTRAT from %s is definitive', (statut) => {
    const r = appliquerTransition(statut, 'REFUSER_CONTRAT', { aujourdhui: '2023-02-10' });
    expect(r).toEqual({ statut: 'REFUS_CONTRACTUALISATION', action: 'REFUSER_CONTRAT', date: '2023-02-10' });
    const e = refus('REFUS_CONTRACTUALISATION', 'CONTRACTUALISER', permissif);
    expect(e.actionsPermises).toEqual([]);
    expect(e.message).toBe('Transition impossible : le parcours est au statut REFUS_CONTRACTUALISATION ; aucune action possible (statut définitif).');
  });

  it.each<StatutParcours>(['ORIENTE', 'CONVOQUE', 'DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE', 'CONTRACTUALISE'])('ABANDONNER from %s is definitive', (statut) => {
    expect(appliquerTransition(statut, 'ABANDONNER', { aujourdhui: '2023-03-01' }).statut).toBe('ABANDON');
    expect(refus('ABANDON', 'REINTEGRER', permissif).actionsPermises).toEqual([]);
  });

  it.each<StatutParcours>(['SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS', 'FIN_DE_DROITS'])('ABANDONNER is not possible after an exit (%s)', (statut) => {
    expect(refus(statut, 'ABANDONNER', permissif).garde).toBeNull();
  });

  it.each(MOTIFS_EXCLUSION)('EXCLURE for %s leads to EXCLU and records the motif', (motifExclusion) => {
    expect(appliquerTransition('CONTRACTUALISE', 'EXCLURE', { aujourdhui: '2023-09-01', motifExclusion, refusLogement: 2 })).toEqual({
      statut: 'EXCLU',
      action: 'EXCLURE',
      date: '2023-09-01',
      motifExclusion,
    });
  });

  it('EXCLURE for DEUX_REFUS_LOGEMENT needs two refused offers counted by Droits & Logement', () => {
    const un = refus('CONTRACTUALISE', 'EXCLURE', { aujourdhui: '2023-09-01', motifExclusion: 'DEUX_REFUS_LOGEMENT', refusLogement: 1 });
    expect(un.garde).toBe('REFUS_LOGEMENT');
    expect(un.message).toContain('Droits & Logement compte 1 proposition(s) de logement refusée(s) pour ce parcours');
    expect(refus('CONTRACTUALISE', 'EXCLURE', { aujourdhui: '2023-09-01', motifExclusion: 'DEUX_REFUS_LOGEMENT', refusLogement: null }).message).toContain("n'a pas pu être lu");
    expect(appliquerTransition('CONTRACTUALISE', 'EXCLURE', { aujourdhui: '2023-09-01', motifExclusion: 'NON_ADHESION' }).statut).toBe('EXCLU');
  });

  it('EXCLURE needs a known motif, but is listed among the allowed actions without one', () => {
    const sans = refus('CONTRACTUALISE', 'EXCLURE', { aujourdhui: '2023-09-01' });
    expect(sans.garde).toBe('MOTIF_EXCLUSION');
    expect(sans.message).toBe(
      "Transition impossible : l'action EXCLURE n'est pas permise au statut CONTRACTUALISE : un motif d'exclusion est requis, parmi : DEUX_REFUS_LOGEMENT, VIOLENCE_MENACES, NON_ADHESION, COMPORTEMENT_DELICTUEUX. Le parcours reste au statut CONTRACTUALISE ; actions possibles : EXCLURE, ABANDONNER.",
    );
    expect(refus('CONTRACTUALISE', 'EXCLURE', { aujourdhui: '2023-09-01', motifExclusion: 'RETARDS' as never }).garde).toBe('MOTIF_EXCLUSION');
    expect(actionsPermises('CONTRACTUALISE', { aujourdhui: '2023-09-01' })).toEqual(['EXCLURE', 'ABANDONNER']);
  });
});

describe('SORTIR', () => {
  it('is allowed only when the exit criteria are stated as met', () => {
    expect(appliquerTransition('CONTRACTUALISE', 'SORTIR', { aujourdhui: '2024-01-31', criteresSortieRemplis: true }).statut).toBe('SORTI');
    const non = refus('CONTRACTUALISE', 'SORTIR', { aujourdhui: '2024-01-31', criteresSortieRemplis: false });
    expect(non.garde).toBe('CRITERES_SORTIE');
    expect(non.statutActuel).toBe('CONTRACTUALISE');
    expect(non.action).toBe('SORTIR');
    expect(non.actionsPermises).toEqual(['EXCLURE', 'ABANDONNER']);
    expect(non.message).toBe(
      "Transition impossible : l'action SORTIR n'est pas permise au statut CONTRACTUALISE : les critères de sortie ne sont pas remplis (un logement pérenne, ou temporaire en résidence sociale, FJT ou IML, et une situation professionnelle stabilisée pour six mois au moins). Le parcours reste au statut CONTRACTUALISE ; actions possibles : EXCLURE, ABANDONNER.",
    );
    const inconnu = refus('CONTRACTUALISE', 'SORTIR', { aujourdhui: '2024-01-31', criteresSortieRemplis: null });
    expect(inconnu.garde).toBe('CRITERES_SORTIE');
    expect(inconnu.raison).toContain('ne sont pas établis');
  });
});

describe('CONSTATER_FIN_DE_DROITS', () => {
  it('is refused the day before the 24-month end and allowed on it', () => {
    const contexte = { dateContrat: '2023-02-17' };
    const veille = refus('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { ...contexte, aujourdhui: '2025-02-16' });
    expect(veille.garde).toBe('DATE_FIN_CONTRAT');
    expect(veille.raison).toBe("le contrat court jusqu'au 17/02/2025 (contrat signé le 17/02/2023, 24 mois au maximum) ; la fin de droits ne peut être constatée qu'à partir de cette date.");
    expect(actionsPermises('CONTRACTUALISE', { ...contexte, aujourdhui: '2025-02-16' })).not.toContain('CONSTATER_FIN_DE_DROITS');
    expect(appliquerTransition('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { ...contexte, aujourdhui: '2025-02-17' }).statut).toBe('FIN_DE_DROITS');
    expect(actionsPermises('CONTRACTUALISE', { ...contexte, aujourdhui: '2025-02-17' })).toContain('CONSTATER_FIN_DE_DROITS');
  });

  it('counts a contract signed on 31 August to 31 August two years later, and one signed on 29 February to 28 February', () => {
    expect(refus('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { dateContrat: '2023-08-31', aujourdhui: '2025-08-30' }).garde).toBe('DATE_FIN_CONTRAT');
    expect(appliquerTransition('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { dateContrat: '2023-08-31', aujourdhui: '2025-08-31' }).statut).toBe('FIN_DE_DROITS');
    expect(refus('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { dateContrat: '2024-02-29', aujourdhui: '2026-02-27' }).garde).toBe('DATE_FIN_CONTRAT');
    expect(appliquerTransition('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { dateContrat: '2024-02-29', aujourdhui: '2026-02-28' }).statut).toBe('FIN_DE_DROITS');
  });

  it('uses a shorter written end, never a longer one', () => {
    expect(appliquerTransition('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { dateContrat: '2023-02-17', dateFinContrat: '2024-02-17', aujourdhui: '2024-02-17' }).statut).toBe('FIN_DE_DROITS');
    expect(refus('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { dateContrat: '2023-02-17', dateFinContrat: '2024-02-17', aujourdhui: '2024-02-16' }).garde).toBe('DATE_FIN_CONTRAT');
    expect(appliquerTransition('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { dateContrat: '2023-02-17', dateFinContrat: '2026-01-01', aujourdhui: '2025-02-17' }).statut).toBe('FIN_DE_DROITS');
  });

  it('counts 12 months from a reintegration', () => {
    const contexte = { dateContrat: '2023-02-17', dateReintegration: '2025-03-10' };
    const veille = refus('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { ...contexte, aujourdhui: '2026-03-09' });
    expect(veille.raison).toBe("le contrat court jusqu'au 10/03/2026 (réintégration du 10/03/2025, 12 mois au maximum) ; la fin de droits ne peut être constatée qu'à partir de cette date.");
    expect(appliquerTransition('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { ...contexte, aujourdhui: '2026-03-10' }).statut).toBe('FIN_DE_DROITS');
  });

  it('is refused when no date tells when the contract ends', () => {
    const e = refus('CONTRACTUALISE', 'CONSTATER_FIN_DE_DROITS', { aujourdhui: '2030-01-01' });
    expect(e.garde).toBe('DATE_FIN_CONTRAT');
    expect(e.raison).toBe('la date de fin du contrat est inconnue (ni la signature du contrat ni une réintégration ne sont datées).');
  });
});

describe('the follow-ups', () => {
  // Exit on 31 January 2024: 3 months is 30 April (clamped), 6 months is 31 July; 15 days of tolerance.
  it.each<[ActionParcours, StatutParcours, string, string, StatutParcours]>([
    ['REALISER_SUIVI_3_MOIS', 'SORTI', '2024-04-14', '2024-04-15', 'SUIVI_3_MOIS'],
    ['REALISER_SUIVI_6_MOIS', 'SUIVI_3_MOIS', '2024-07-15', '2024-07-16', 'SUIVI_6_MOIS'],
  ])('%s from %s: refused on %s, allowed from %s', (action, depuis, veille, jour, vers) => {
    const e = refus(depuis, action, { aujourdhui: veille, dateSortie: '2024-01-31' });
    expect(e.garde).toBe('DELAI_SUIVI');
    expect(actionsPermises(depuis, { aujourdhui: veille, dateSortie: '2024-01-31' })).toEqual(['REINTEGRER']);
    expect(appliquerTransition(depuis, action, { aujourdhui: jour, dateSortie: '2024-01-31' }).statut).toBe(vers);
  });

  it('explains the earliest date of a follow-up', () => {
    expect(refus('SORTI', 'REALISER_SUIVI_3_MOIS', { aujourdhui: '2024-04-14', dateSortie: '2024-01-31' }).raison).toBe(
      'le suivi à 3 mois ne peut pas avoir lieu avant le 15/04/2024 (3 mois après la sortie du 31/01/2024, moins 15 jours de tolérance).',
    );
  });

  it('needs the exit date', () => {
    expect(refus('SORTI', 'REALISER_SUIVI_3_MOIS', { aujourdhui: '2030-01-01' }).garde).toBe('DATE_SORTIE');
  });

  it('computes the earliest dates', () => {
    expect(datePlusTotSuivi('2024-01-31', 3)).toBe('2024-04-15');
    expect(datePlusTotSuivi('2024-01-31', 6)).toBe('2024-07-16');
    expect(datePlusTotSuivi('2023-08-31', 6)).toBe('2024-02-14');
  });
});

describe('REINTEGRER', () => {
  it.each<StatutParcours>(['SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS', 'FIN_DE_DROITS'])('from %s, for 12 months, with the prefect reference', (statut) => {
    expect(appliquerTransition(statut, 'REINTEGRER', { aujourdhui: '2024-01-31', referenceAccordPrefet: ' PREF-44-2024-001 ' })).toEqual({
      statut: 'CONTRACTUALISE',
      action: 'REINTEGRER',
      date: '2024-01-31',
      dateReintegration: '2024-01-31',
      dateFinContrat: '2025-01-31',
      referenceAccordPrefet: 'PREF-44-2024-001',
    });
  });

  it("needs the prefect's agreement reference", () => {
    for (const referenceAccordPrefet of [undefined, null, '', '   ']) {
      const e = refus('CLOS', 'REINTEGRER', { aujourdhui: '2024-01-31', referenceAccordPrefet });
      expect(e.garde).toBe('REFERENCE_ACCORD_PREFET');
      expect(e.actionsPermises).toEqual(['REINTEGRER']);
    }
  });

  it('happens only once per parcours', () => {
    const e = refus('FIN_DE_DROITS', 'REINTEGRER', { aujourdhui: '2026-03-11', referenceAccordPrefet: 'PREF-2', dateReintegration: '2025-03-10' });
    expect(e.garde).toBe('DEJA_REINTEGRE');
    expect(e.actionsPermises).toEqual([]);
    expect(e.message).toBe(
      "Transition impossible : l'action REINTEGRER n'est pas permise au statut FIN_DE_DROITS : le parcours a déjà été réintégré le 10/03/2025 ; la réintégration, exceptionnelle, n'est possible qu'une fois. Le parcours reste au statut FIN_DE_DROITS ; aucune action possible pour l'instant.",
    );
    expect(refus('SORTI', 'REINTEGRER', { aujourdhui: '2026-03-11', referenceAccordPrefet: 'PREF-2', dejaReintegre: true }).garde).toBe('DEJA_REINTEGRE');
    expect(actionsPermises('SORTI', { aujourdhui: '2026-03-11', dateSortie: '2026-01-01', dejaReintegre: true })).toEqual([]);
  });
});

describe('invalid actions', () => {
  it('names the current statut and the allowed moves', () => {
    const e = refus('COMMISSION_REALISEE', 'SORTIR', { aujourdhui: '2023-02-01' });
    expect(e).toBeInstanceOf(TransitionInvalide);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TransitionInvalide');
    expect(e.message).toBe('Transition impossible : le parcours est au statut COMMISSION_REALISEE ; actions possibles : CONTRACTUALISER, REFUSER_CONTRAT, ABANDONNER.');
    expect(e.statutActuel).toBe('COMMISSION_REALISEE');
    expect(e.action).toBe('SORTIR');
    expect(e.actionsPermises).toEqual(['CONTRACTUALISER', 'REFUSER_CONTRAT', 'ABANDONNER']);
    expect(e.garde).toBeNull();
    expect(e.raison).toBeNull();
  });

  it('rejects an action that does not exist', () => {
    const e = refus('ORIENTE', 'VALIDER' as ActionParcours, { aujourdhui: '2023-02-01' });
    expect(e.message).toBe("Transition impossible : l'action VALIDER n'existe pas ; le parcours est au statut ORIENTE ; actions possibles : CONVOQUER, ABANDONNER.");
  });

  it('rejects a malformed date', () => {
    expect(() => appliquerTransition('ORIENTE', 'CONVOQUER', { aujourdhui: '2023-02-30' })).toThrow(TypeError);
    expect(() => actionsPermises('SORTI', { aujourdhui: '2023-02-01', dateSortie: '31/01/2023' })).toThrow(TypeError);
  });

  // Every (statut, action) pair the table does not allow, generated from the table itself.
  const invalides = STATUTS_PARCOURS.flatMap((statut) => ACTIONS_PARCOURS.filter((action) => !TRANSITIONS[action].depuis.includes(statut)).map((action) => [statut, action] as const));
  const valides = STATUTS_PARCOURS.flatMap((statut) => ACTIONS_PARCOURS.filter((action) => TRANSITIONS[action].depuis.includes(statut)).map((action) => [statut, action] as const));

  it('has 13 × 13 pairs in all, 22 of them valid', () => {
    expect(invalides.length + valides.length).toBe(169);
    expect(valides.length).toBe(22);
  });

  it.each(invalides)('%s + %s is refused', (statut, action) => {
    const e = refus(statut, action, permissif);
    const permises = actionsPermises(statut, permissif);
    expect(e.statutActuel).toBe(statut);
    expect(e.action).toBe(action);
    expect(e.actionsPermises).toEqual(permises);
    expect(e.garde).toBeNull();
    const possibles = permises.length > 0 ? `actions possibles : ${permises.join(', ')}` : 'aucune action possible (statut définitif)';
    expect(e.message).toBe(`Transition impossible : le parcours est au statut ${statut} ; ${possibles}.`);
  });

  it.each(valides)('%s + %s leads where the table says', (statut, action) => {
    expect(appliquerTransition(statut, action, permissif).statut).toBe(TRANSITIONS[action].vers);
  });
});

describe('dateFinContratEffective', () => {
  it.each([
    [{ dateContrat: '2023-02-17' }, '2025-02-17'],
    [{ dateContrat: '2023-01-31' }, '2025-01-31'],
    [{ dateContrat: '2023-02-17', dateFinContrat: '2024-06-30' }, '2024-06-30'],
    [{ dateContrat: '2023-02-17', dateFinContrat: '2025-06-30' }, '2025-02-17'],
    [{ dateContrat: '2023-02-17', dateReintegration: '2025-03-10' }, '2026-03-10'],
    // A written end from before the reintegration belongs to the former contract.
    [{ dateContrat: '2023-02-17', dateReintegration: '2025-03-10', dateFinContrat: '2025-02-17' }, '2026-03-10'],
    [{ dateFinContrat: '2024-06-30' }, '2024-06-30'],
    [{}, null],
  ])('%j → %s', (dates, attendu) => {
    expect(dateFinContratEffective(dates)).toBe(attendu);
  });
});
