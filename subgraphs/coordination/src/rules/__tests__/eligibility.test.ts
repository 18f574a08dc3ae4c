import { dateAnniversaire, evaluerEligibilite, type CritereEligibilite, type PersonneEligibilite, type ResultatEligibilite } from '../eligibility';

// Evaluated in 2024: N = 2024, so the protection must date from 1 January 2023 (N-1) on.
const D = '2024-06-15';

const bpi: PersonneEligibilite = {
  protection: 'REFUGIE',
  dateObtentionProtection: '2023-05-10',
  dateNaissance: '1990-04-02',
  cirSigne: true,
  dateSignatureCir: '2023-07-01',
  domicilieDansDepartement: true,
  resideHabituellementDansDepartement: true,
  logementDurable: false,
  emploiDurable: false,
  volontaire: true,
};

function critere(resultat: ResultatEligibilite, nom: CritereEligibilite) {
  const trouve = resultat.criteres.find((c) => c.critere === nom);
  if (!trouve) throw new Error(`critère ${nom} absent : ${resultat.criteres.map((c) => c.critere).join(', ')}`);
  return trouve;
}

function statut(personne: PersonneEligibilite, nom: CritereEligibilite, date = D) {
  return critere(evaluerEligibilite(personne, date), nom).statut;
}

describe('evaluerEligibilite: a BPI', () => {
  it('accepts a BPI meeting every criterion, and reports every criterion in order', () => {
    const r = evaluerEligibilite(bpi, D);
    expect(r.eligible).toBe('OUI');
    expect(r.voie).toBe('BPI');
    expect(r.criteres.map((c) => [c.critere, c.statut])).toEqual([
      ['STATUT_PROTECTION', 'REMPLI'],
      ['DATE_PROTECTION', 'REMPLI'],
      ['AGE', 'REMPLI'],
      ['CIR_SIGNE', 'REMPLI'],
      ['DOMICILIATION', 'REMPLI'],
      ['RESIDENCE_HABITUELLE', 'REMPLI'],
      ['SANS_EMPLOI_OU_LOGEMENT_DURABLE', 'REMPLI'],
      ['VOLONTARIAT', 'REMPLI'],
    ]);
    expect(r.evaluationBpi).toBeUndefined();
  });

  it('refuses when one criterion is not met even if another is unknown, and says INCONNU when only unknowns remain', () => {
    expect(evaluerEligibilite({ ...bpi, volontaire: false, protection: null }, D).eligible).toBe('NON');
    expect(evaluerEligibilite({ ...bpi, protection: null }, D).eligible).toBe('INCONNU');
    expect(evaluerEligibilite({}, D).eligible).toBe('INCONNU');
    expect(evaluerEligibilite({}, D).criteres.every((c) => c.statut === 'INCONNU')).toBe(true);
  });

  describe('STATUT_PROTECTION', () => {
    it.each([
      ['REFUGIE', 'REMPLI'],
      ['PROTECTION_SUBSIDIAIRE', 'REMPLI'],
      ['AUCUNE', 'NON_REMPLI'],
      [null, 'INCONNU'],
      [undefined, 'INCONNU'],
    ] as const)('%s → %s', (protection, attendu) => {
      expect(statut({ ...bpi, protection }, 'STATUT_PROTECTION')).toBe(attendu);
    });

    it('explains the subsidiary protection and the unknown case', () => {
      expect(critere(evaluerEligibilite({ ...bpi, protection: 'PROTECTION_SUBSIDIAIRE' }, D), 'STATUT_PROTECTION').raison).toBe(
        'La personne bénéficie de la protection subsidiaire : elle est bénéficiaire de la protection internationale (BPI).',
      );
      expect(critere(evaluerEligibilite({ ...bpi, protection: null }, D), 'STATUT_PROTECTION').raison).toBe(
        "Le type de protection (réfugié ou protection subsidiaire) n'est pas renseigné.",
      );
    });
  });

  describe('DATE_PROTECTION (since 1 January of N-1)', () => {
    it('refuses a protection obtained on 31 December of N-2, with the dates in the reason', () => {
      const c = critere(evaluerEligibilite({ ...bpi, dateObtentionProtection: '2022-12-31' }, D), 'DATE_PROTECTION');
      expect(c.statut).toBe('NON_REMPLI');
      expect(c.raison).toBe(
        "Protection obtenue le 31/12/2022, avant le 01/01/2023 ; le programme est ouvert aux personnes protégées depuis le 1er janvier de l'année N-1, soit depuis le 01/01/2023 pour une évaluation en 2024.",
      );
      expect(evaluerEligibilite({ ...bpi, dateObtentionProtection: '2022-12-31' }, D).eligible).toBe('NON');
    });

    it('accepts a protection obtained on 1 January of N-1', () => {
      const c = critere(evaluerEligibilite({ ...bpi, dateObtentionProtection: '2023-01-01' }, D), 'DATE_PROTECTION');
      expect(c.statut).toBe('REMPLI');
      expect(c.raison).toBe(
        "Protection obtenue le 01/01/2023 ; le programme est ouvert aux personnes protégées depuis le 1er janvier de l'année N-1, soit depuis le 01/01/2023 pour une évaluation en 2024.",
      );
    });

    it('counts N from the evaluation date: the same protection is refused a year later', () => {
      expect(statut({ ...bpi, dateObtentionProtection: '2023-01-01' }, 'DATE_PROTECTION', '2024-12-31')).toBe('REMPLI');
      expect(statut({ ...bpi, dateObtentionProtection: '2023-01-01' }, 'DATE_PROTECTION', '2025-01-01')).toBe('NON_REMPLI');
    });

    it('is unknown without a date, and not met for a protection dated after the evaluation', () => {
      expect(statut({ ...bpi, dateObtentionProtection: null }, 'DATE_PROTECTION')).toBe('INCONNU');
      const c = critere(evaluerEligibilite({ ...bpi, dateObtentionProtection: '2024-06-16' }, D), 'DATE_PROTECTION');
      expect(c.statut).toBe('NON_REMPLI');
      expect(c.raison).toBe("La protection est datée du 16/06/2024, après la date d'évaluation (15/06/2024) : elle n'était pas encore obtenue à cette date.");
    });
  });

  describe('AGE (16 completed years)', () => {
    it('refuses the day before the 16th birthday and accepts on the day', () => {
      const veille = critere(evaluerEligibilite({ ...bpi, dateNaissance: '2008-06-15' }, '2024-06-14'), 'AGE');
      expect(veille.statut).toBe('NON_REMPLI');
      expect(veille.raison).toBe('Née le 15/06/2008, la personne a 15 ans au 14/06/2024 ; il faut avoir au moins 16 ans révolus, ce qui sera le cas le 15/06/2024.');
      const jour = critere(evaluerEligibilite({ ...bpi, dateNaissance: '2008-06-15' }, '2024-06-15'), 'AGE');
      expect(jour.statut).toBe('REMPLI');
      expect(jour.raison).toBe('Née le 15/06/2008, la personne a 16 ans au 15/06/2024 ; il faut avoir au moins 16 ans révolus.');
    });

    it('handles a birthday on 29 February', () => {
      expect(statut({ ...bpi, dateNaissance: '2008-02-29' }, 'AGE', '2024-02-28')).toBe('NON_REMPLI');
      expect(statut({ ...bpi, dateNaissance: '2008-02-29' }, 'AGE', '2024-02-29')).toBe('REMPLI');
      // 2100 is not a leap year: the 16th birthday falls on 1 March.
      expect(statut({ ...bpi, dateNaissance: '2084-02-29' }, 'AGE', '2100-02-28')).toBe('NON_REMPLI');
      expect(statut({ ...bpi, dateNaissance: '2084-02-29' }, 'AGE', '2100-03-01')).toBe('REMPLI');
    });

    it('is unknown without a birth date', () => {
      const c = critere(evaluerEligibilite({ ...bpi, dateNaissance: null }, D), 'AGE');
      expect(c).toEqual({ critere: 'AGE', statut: 'INCONNU', raison: "La date de naissance n'est pas renseignée ; il faut avoir au moins 16 ans révolus." });
    });
  });

  describe('CIR_SIGNE', () => {
    it.each([
      [true, '2023-07-01', 'REMPLI'],
      [true, null, 'REMPLI'],
      [null, '2023-07-01', 'REMPLI'],
      [false, null, 'NON_REMPLI'],
      [true, '2024-06-16', 'NON_REMPLI'],
      [null, null, 'INCONNU'],
      [false, '2023-07-01', 'INCONNU'],
    ] as const)('signed %s on %s → %s', (cirSigne, dateSignatureCir, attendu) => {
      expect(statut({ ...bpi, cirSigne, dateSignatureCir }, 'CIR_SIGNE')).toBe(attendu);
    });

    it('gives the signature date', () => {
      expect(critere(evaluerEligibilite(bpi, D), 'CIR_SIGNE').raison).toBe("Contrat d'intégration républicaine (CIR) signé le 01/07/2023.");
    });
  });

  describe('DOMICILIATION and RESIDENCE_HABITUELLE', () => {
    it.each([
      [true, 'REMPLI'],
      [false, 'NON_REMPLI'],
      [null, 'INCONNU'],
    ] as const)('domiciled %s → %s', (domicilieDansDepartement, attendu) => {
      expect(statut({ ...bpi, domicilieDansDepartement }, 'DOMICILIATION')).toBe(attendu);
    });

    it('refuses a person domiciled but not resident: an administrative address is not enough', () => {
      const r = evaluerEligibilite({ ...bpi, domicilieDansDepartement: true, resideHabituellementDansDepartement: false }, D);
      expect(r.eligible).toBe('NON');
      expect(critere(r, 'DOMICILIATION').statut).toBe('REMPLI');
      expect(critere(r, 'RESIDENCE_HABITUELLE')).toEqual({
        critere: 'RESIDENCE_HABITUELLE',
        statut: 'NON_REMPLI',
        raison: "La personne est domiciliée dans le département mais n'y réside pas habituellement : une simple domiciliation administrative ne suffit pas.",
      });
    });

    it.each([
      [true, 'REMPLI'],
      [false, 'NON_REMPLI'],
      [null, 'INCONNU'],
    ] as const)('resident %s → %s', (resideHabituellementDansDepartement, attendu) => {
      expect(statut({ ...bpi, resideHabituellementDansDepartement }, 'RESIDENCE_HABITUELLE')).toBe(attendu);
    });

    it('does not infer residence from domiciliation', () => {
      expect(evaluerEligibilite({ ...bpi, resideHabituellementDansDepartement: undefined }, D).eligible).toBe('INCONNU');
    });
  });

  describe('SANS_EMPLOI_OU_LOGEMENT_DURABLE (not both durable housing and durable employment)', () => {
    it.each([
      [true, true, 'NON_REMPLI'],
      [true, false, 'REMPLI'],
      [false, true, 'REMPLI'],
      [false, false, 'REMPLI'],
      [false, null, 'REMPLI'],
      [null, false, 'REMPLI'],
      [true, null, 'INCONNU'],
      [null, true, 'INCONNU'],
      [null, null, 'INCONNU'],
    ] as const)('housing %s, employment %s → %s', (logementDurable, emploiDurable, attendu) => {
      expect(statut({ ...bpi, logementDurable, emploiDurable }, 'SANS_EMPLOI_OU_LOGEMENT_DURABLE')).toBe(attendu);
    });

    it('explains the refusal when both are durable', () => {
      const r = evaluerEligibilite({ ...bpi, logementDurable: true, emploiDurable: true }, D);
      expect(r.eligible).toBe('NON');
      expect(critere(r, 'SANS_EMPLOI_OU_LOGEMENT_DURABLE').raison).toBe(
        "La personne dispose déjà d'un logement pérenne et d'un emploi durable ; le programme s'adresse aux personnes sans emploi durable et/ou sans logement pérenne.",
      );
      expect(evaluerEligibilite({ ...bpi, logementDurable: true, emploiDurable: false }, D).eligible).toBe('OUI');
    });
  });

  describe('VOLONTARIAT', () => {
    it.each([
      [true, 'REMPLI'],
      [false, 'NON_REMPLI'],
      [null, 'INCONNU'],
    ] as const)('volunteer %s → %s', (volontaire, attendu) => {
      expect(statut({ ...bpi, volontaire }, 'VOLONTARIAT')).toBe(attendu);
    });
  });

  it('throws on a malformed date rather than guessing', () => {
    expect(() => evaluerEligibilite(bpi, '2024-02-30')).toThrow(TypeError);
    expect(() => evaluerEligibilite({ ...bpi, dateNaissance: '02/04/1990' }, D)).toThrow(TypeError);
  });
});

describe('evaluerEligibilite: a rejoignant', () => {
  // A spouse or parent without protection nor CIR of their own.
  const famille: PersonneEligibilite = {
    protection: 'AUCUNE',
    dateNaissance: '1992-01-20',
    cirSigne: false,
    domicilieDansDepartement: true,
    resideHabituellementDansDepartement: true,
    logementDurable: false,
    emploiDurable: false,
    volontaire: true,
  };

  it('accepts the spouse of an eligible BPI, the link replacing the BPI criteria', () => {
    const r = evaluerEligibilite({ ...famille, rejoignant: { lien: 'CONJOINT', bpi } }, D);
    expect(r.eligible).toBe('OUI');
    expect(r.voie).toBe('REJOIGNANT');
    expect(r.criteres.map((c) => c.critere)).toEqual(['LIEN_REJOIGNANT', 'DOMICILIATION', 'RESIDENCE_HABITUELLE', 'SANS_EMPLOI_OU_LOGEMENT_DURABLE', 'VOLONTARIAT']);
    expect(critere(r, 'LIEN_REJOIGNANT').raison).toBe("Conjoint ou conjointe d'un BPI. Le BPI rejoint est éligible.");
    expect(r.evaluationBpi?.eligible).toBe('OUI');
  });

  it('accepts a parent of an eligible BPI', () => {
    expect(evaluerEligibilite({ ...famille, rejoignant: { lien: 'PARENT', bpi } }, D).eligible).toBe('OUI');
  });

  it('refuses the rejoignant of an ineligible BPI, naming the BPI criterion that fails', () => {
    const r = evaluerEligibilite({ ...famille, rejoignant: { lien: 'CONJOINT', bpi: { ...bpi, dateObtentionProtection: '2022-12-31' } } }, D);
    expect(r.eligible).toBe('NON');
    const lien = critere(r, 'LIEN_REJOIGNANT');
    expect(lien.statut).toBe('NON_REMPLI');
    expect(lien.raison).toBe(
      "Conjoint ou conjointe d'un BPI. Le BPI rejoint n'est pas éligible. DATE_PROTECTION : Protection obtenue le 31/12/2022, avant le 01/01/2023 ; le programme est ouvert aux personnes protégées depuis le 1er janvier de l'année N-1, soit depuis le 01/01/2023 pour une évaluation en 2024.",
    );
    expect(r.evaluationBpi?.eligible).toBe('NON');
  });

  it('is unknown when the BPI record is missing or its eligibility is not established', () => {
    expect(evaluerEligibilite({ ...famille, rejoignant: { lien: 'CONJOINT', bpi: null } }, D).eligible).toBe('INCONNU');
    expect(evaluerEligibilite({ ...famille, rejoignant: { lien: 'CONJOINT', bpi: { ...bpi, protection: null } } }, D).eligible).toBe('INCONNU');
    expect(evaluerEligibilite({ ...famille, rejoignant: { lien: null, bpi } }, D).eligible).toBe('INCONNU');
  });

  it("does not require the BPI's own volunteering: the family may enter without the BPI", () => {
    const r = evaluerEligibilite({ ...famille, rejoignant: { lien: 'CONJOINT', bpi: { ...bpi, volontaire: false } } }, D);
    expect(r.eligible).toBe('OUI');
    expect(r.evaluationBpi?.criteres.map((c) => c.critere)).not.toContain('VOLONTARIAT');
  });

  it('still requires the rejoignant to reside in the département and to volunteer', () => {
    expect(evaluerEligibilite({ ...famille, resideHabituellementDansDepartement: false, rejoignant: { lien: 'CONJOINT', bpi } }, D).eligible).toBe('NON');
    expect(evaluerEligibilite({ ...famille, volontaire: false, rejoignant: { lien: 'CONJOINT', bpi } }, D).eligible).toBe('NON');
  });

  it('refuses the rejoignant of a person who is not a BPI', () => {
    const autreRejoignant = { ...famille, rejoignant: { lien: 'CONJOINT' as const, bpi } };
    expect(evaluerEligibilite({ ...famille, rejoignant: { lien: 'ENFANT_MINEUR', bpi: autreRejoignant } }, '2024-06-15').eligible).toBe('NON');
  });

  describe('ENFANT_MINEUR', () => {
    const enfant = (dateNaissance: string | null): PersonneEligibilite => ({ ...famille, dateNaissance, rejoignant: { lien: 'ENFANT_MINEUR', bpi } });

    it('accepts a 17-year-old child and refuses an 18-year-old child', () => {
      const dix7 = evaluerEligibilite(enfant('2006-06-16'), D);
      expect(dix7.eligible).toBe('OUI');
      expect(critere(dix7, 'LIEN_REJOIGNANT').raison).toBe("Enfant mineur d'un BPI : 17 ans au 15/06/2024 (majeur le 16/06/2024). Le BPI rejoint est éligible.");
      const dix8 = evaluerEligibilite(enfant('2006-06-15'), D);
      expect(dix8.eligible).toBe('NON');
      expect(critere(dix8, 'LIEN_REJOIGNANT')).toEqual({
        critere: 'LIEN_REJOIGNANT',
        statut: 'NON_REMPLI',
        raison:
          "Enfant d'un BPI, mais majeur depuis le 15/06/2024 (18 ans au 15/06/2024) ; seuls les enfants mineurs sont rejoignants. Un enfant majeur BPI peut entrer à son propre titre. Le BPI rejoint est éligible.",
      });
    });

    it('accepts a child under 16: the age limit of 16 is for BPI themselves', () => {
      const r = evaluerEligibilite(enfant('2015-03-01'), D);
      expect(r.eligible).toBe('OUI');
      expect(r.criteres.map((c) => c.critere)).not.toContain('AGE');
    });

    it('handles a child born on 29 February reaching 18 in a common year', () => {
      // The BPI must itself be eligible in 2026: protection since 1 January 2025.
      const bpi2026 = { ...bpi, dateObtentionProtection: '2025-03-01', dateSignatureCir: '2025-04-01' };
      const ne29 = { ...famille, dateNaissance: '2008-02-29', rejoignant: { lien: 'ENFANT_MINEUR' as const, bpi: bpi2026 } };
      expect(evaluerEligibilite(ne29, '2026-02-28').eligible).toBe('OUI');
      expect(evaluerEligibilite(ne29, '2026-03-01').eligible).toBe('NON');
      expect(critere(evaluerEligibilite(ne29, '2026-03-01'), 'LIEN_REJOIGNANT').raison).toBe(
        "Enfant d'un BPI, mais majeur depuis le 01/03/2026 (18 ans au 01/03/2026) ; seuls les enfants mineurs sont rejoignants. Un enfant majeur BPI peut entrer à son propre titre. Le BPI rejoint est éligible.",
      );
    });

    it("is unknown without the child's birth date", () => {
      expect(critere(evaluerEligibilite(enfant(null), D), 'LIEN_REJOIGNANT').statut).toBe('INCONNU');
    });
  });
});

describe("evaluerEligibilite: the prefect's instruction", () => {
  const enInstance: PersonneEligibilite = {
    protection: null,
    dateNaissance: '1985-09-09',
    cirSigne: false,
    domicilieDansDepartement: true,
    resideHabituellementDansDepartement: true,
    logementDurable: false,
    emploiDurable: null,
    volontaire: true,
  };

  it('replaces the protection criteria when OFII agrees', () => {
    const r = evaluerEligibilite({ ...enInstance, instructionPrefet: { reference: 'PREF-44-2024-017', accordOfii: true } }, D);
    expect(r.eligible).toBe('OUI');
    expect(r.voie).toBe('INSTRUCTION_PREFET');
    expect(r.criteres.map((c) => c.critere)).toEqual(['INSTRUCTION_PREFET', 'DOMICILIATION', 'RESIDENCE_HABITUELLE', 'SANS_EMPLOI_OU_LOGEMENT_DURABLE', 'VOLONTARIAT']);
    expect(critere(r, 'INSTRUCTION_PREFET').raison).toBe("Entrée exceptionnelle sur instruction du représentant de l'État (référence PREF-44-2024-017), avec l'accord de l'OFII.");
  });

  it("refuses an instruction without OFII's agreement", () => {
    const r = evaluerEligibilite({ ...enInstance, instructionPrefet: { reference: 'PREF-44-2024-017', accordOfii: false } }, D);
    expect(r.eligible).toBe('NON');
    expect(critere(r, 'INSTRUCTION_PREFET')).toEqual({
      critere: 'INSTRUCTION_PREFET',
      statut: 'NON_REMPLI',
      raison:
        "Instruction du représentant de l'État (référence PREF-44-2024-017) sans accord de l'OFII : l'entrée exceptionnelle exige l'instruction du représentant de l'État et l'accord de l'OFII.",
    });
  });

  it("is unknown when OFII's agreement or the reference is not recorded", () => {
    expect(statut({ ...enInstance, instructionPrefet: { reference: 'PREF-1', accordOfii: null } }, 'INSTRUCTION_PREFET')).toBe('INCONNU');
    expect(statut({ ...enInstance, instructionPrefet: { reference: '  ', accordOfii: true } }, 'INSTRUCTION_PREFET')).toBe('INCONNU');
  });

  it('does not replace residence nor volunteering', () => {
    const instructionPrefet = { reference: 'PREF-1', accordOfii: true };
    expect(evaluerEligibilite({ ...enInstance, instructionPrefet, resideHabituellementDansDepartement: false }, D).eligible).toBe('NON');
    expect(evaluerEligibilite({ ...enInstance, instructionPrefet, volontaire: false }, D).eligible).toBe('NON');
  });
});

describe('dateAnniversaire', () => {
  it.each([
    ['2008-06-15', 16, '2024-06-15'],
    ['2008-02-29', 16, '2024-02-29'],
    ['2008-02-29', 18, '2026-03-01'],
    ['2084-02-29', 16, '2100-03-01'],
  ])('born %s, %i years on %s', (naissance, age, attendu) => {
    expect(dateAnniversaire(naissance, age)).toBe(attendu);
  });
});
