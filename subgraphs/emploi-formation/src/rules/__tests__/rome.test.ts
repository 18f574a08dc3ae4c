import {
  CodeRomeInconnu,
  appellationsDuCode,
  metierRome,
  parseCsv,
  rechercherMetiers,
  validerCodeRome,
} from '../rome';

describe('parseCsv (RFC 4180)', () => {
  it('splits plain fields and CRLF or LF records, ignoring the final line break', () => {
    expect(parseCsv('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps commas, apostrophes, doubled quotes and line breaks inside quoted fields', () => {
    expect(parseCsv('A1416,"Polyculture, élevage"\r\nA1101,Conduite d\'engins agricoles\r\n')).toEqual([
      ['A1416', 'Polyculture, élevage'],
      ['A1101', "Conduite d'engins agricoles"],
    ]);
    expect(parseCsv('"il dit ""bonjour""","deux\r\nlignes"\n')).toEqual([['il dit "bonjour"', 'deux\r\nlignes']]);
  });

  it('keeps empty fields, including a trailing one and an empty quoted one', () => {
    expect(parseCsv('a,,c\n,"",\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('ignores a byte-order mark and returns nothing for empty text', () => {
    expect(parseCsv('\uFEFFcode_rome,libelle_rome\n')).toEqual([['code_rome', 'libelle_rome']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('refuses an unclosed quote and stray quotes', () => {
    expect(() => parseCsv('a,"bc\nd')).toThrow('CSV: quoted field opened on line 1 is not closed');
    expect(() => parseCsv('a,b"c"\n')).toThrow('CSV: unexpected quote inside a field on line 1');
    expect(() => parseCsv('a\n"b"c\n')).toThrow('CSV: unexpected character after a closing quote on line 2');
  });
});

describe('metierRome', () => {
  it.each([
    ['K1304', 'Services domestiques'],
    ['G1602', 'Personnel de cuisine'],
    ['N1101', "Conduite d'engins de déplacement des charges"],
    ['K2204', 'Nettoyage de locaux'],
    ['A1416', 'Polyculture, élevage'],
    ['D1104', 'Pâtisserie, confiserie, chocolaterie et glacerie'],
    ['A1101', "Conduite d'engins agricoles et forestiers"],
  ])('%s is "%s"', (code, libelle) => {
    expect(metierRome(code)).toEqual({ code, libelle });
  });

  it('ignores surrounding spaces', () => {
    expect(metierRome(' K1304 ')).toEqual({ code: 'K1304', libelle: 'Services domestiques' });
  });

  it('returns null for an unknown or malformed code', () => {
    expect(metierRome('Z9999')).toBeNull();
    expect(metierRome('k1304')).toBeNull();
    expect(metierRome('K130')).toBeNull();
    expect(metierRome('')).toBeNull();
  });

  it('returns a copy that cannot alter the referential', () => {
    const metier = metierRome('K1304')!;
    metier.libelle = 'changé';
    expect(metierRome('K1304')!.libelle).toBe('Services domestiques');
  });
});

describe('validerCodeRome', () => {
  it('returns the code of the referential, trimmed', () => {
    expect(validerCodeRome('K1304')).toBe('K1304');
    expect(validerCodeRome('  G1602\t')).toBe('G1602');
    expect(validerCodeRome('N1101')).toBe('N1101');
  });

  function refus(code: string): CodeRomeInconnu {
    try {
      validerCodeRome(code);
    } catch (error) {
      return error as CodeRomeInconnu;
    }
    throw new Error(`validerCodeRome('${code}') should have thrown`);
  }

  it('refuses a well-formed code absent from the referential, saying so', () => {
    const error = refus('Z9999');
    expect(error).toBeInstanceOf(CodeRomeInconnu);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CodeRomeInconnu');
    expect(error.motif).toBe('REFERENTIEL');
    expect(error.valeur).toBe('Z9999');
    expect(error.message).toBe(
      'Le code ROME "Z9999" est bien formé mais n\'existe pas dans le référentiel ROME de France Travail (état de septembre 2024). ' +
        'Un code ROME est fait d\'une lettre majuscule suivie de quatre chiffres (par exemple "K1304"). ' +
        'Cherchez le métier par son intitulé pour trouver son code.',
    );
  });

  it('refuses a lower-case letter, pointing at the upper-case form', () => {
    const error = refus('k1304');
    expect(error.motif).toBe('FORMAT');
    expect(error.message).toBe(
      'Le code ROME "k1304" n\'a pas le bon format : la lettre doit être en majuscule ("K1304"). ' +
        'Un code ROME est fait d\'une lettre majuscule suivie de quatre chiffres (par exemple "K1304").',
    );
  });

  it.each(['K130', 'K13045', '1304K', 'KK304', 'K 1304', 'K1304.'])('refuses the malformed code "%s"', (code) => {
    const error = refus(code);
    expect(error.motif).toBe('FORMAT');
    expect(error.message).toBe(
      `Le code ROME "${code}" n'a pas le bon format. Un code ROME est fait d'une lettre majuscule suivie de quatre chiffres (par exemple "K1304").`,
    );
  });

  it('refuses an empty code', () => {
    for (const code of ['', '   ']) {
      const error = refus(code);
      expect(error.motif).toBe('FORMAT');
      expect(error.message).toBe('Le code ROME est vide. Un code ROME est fait d\'une lettre majuscule suivie de quatre chiffres (par exemple "K1304").');
    }
  });

  it('refuses a value that is not a string (from untyped callers)', () => {
    const error = refus(undefined as unknown as string);
    expect(error.motif).toBe('FORMAT');
    expect(error.message).toContain('Le code ROME est vide.');
  });
});

describe('appellationsDuCode', () => {
  it('lists the twelve titles of K1304 in the order of the file', () => {
    expect(appellationsDuCode('K1304').map((a) => a.libelle)).toEqual([
      'Agent / Agente à domicile',
      'Aide à domicile',
      'Aide familial / familiale',
      'Aide ménager / ménagère à domicile',
      'Employé / Employée de maison',
      'Employé / Employée de ménage',
      'Employé familial / Employée familiale de maison',
      'Employé familial polyvalent / Employée familiale polyvalente',
      'Gouvernant / Gouvernante à domicile',
      "Gouvernant / Gouvernante d'intérieur",
      'Intervenant familial / Intervenante familiale de maison',
      'Majordome',
    ]);
  });

  it('gives the OGR code and ROME code of each title', () => {
    expect(appellationsDuCode('N1101')[1]).toEqual({ codeOgr: '11679', libelle: 'Cariste', codeRome: 'N1101' });
    expect(appellationsDuCode('N1101')).toHaveLength(18);
    expect(appellationsDuCode('G1602')).toHaveLength(25);
    expect(appellationsDuCode('K2204')).toHaveLength(30);
  });

  it('keeps labels with commas inside quotes whole', () => {
    expect(appellationsDuCode('H1206').find((a) => a.codeOgr === '10261')).toEqual({
      codeOgr: '10261',
      libelle: 'Acousticien(ne) en études, recherche et développement',
      codeRome: 'H1206',
    });
  });

  it('throws CodeRomeInconnu for an unknown or malformed code rather than returning nothing', () => {
    expect(() => appellationsDuCode('Z9999')).toThrow(CodeRomeInconnu);
    expect(() => appellationsDuCode('k1304')).toThrow(CodeRomeInconnu);
  });
});

describe('rechercherMetiers', () => {
  it('finds a job by a title, ignoring accents and case, exact title first', () => {
    expect(rechercherMetiers('CARISTE').map((r) => [r.code, r.appellations.length])).toEqual([
      ['N1101', 13],
      ['N1103', 1],
    ]);
    expect(rechercherMetiers('cariste')[1]).toEqual({
      code: 'N1103',
      libelle: 'Magasinage et préparation de commandes',
      appellations: ['Magasinier / Magasinière cariste'],
    });
  });

  it('ranks jobs found through titles by the number of matching titles (Madame B.\'s "pâtisserie" project)', () => {
    const resultats = rechercherMetiers('patissier');
    expect(resultats.map((r) => [r.code, r.appellations.length])).toEqual([
      ['D1104', 8],
      ['G1602', 5],
      ['D1102', 2],
    ]);
    expect(resultats[0]!.appellations).toEqual([
      'Aide-pâtissier / Aide-pâtissière',
      'Chef pâtissier / pâtissière',
      'Pâtissier / Pâtissière',
      'Ouvrier pâtissier / Ouvrière pâtissière',
      'Pâtissier tourier / Pâtissière tourière',
      'Pâtissier-chocolatier / Pâtissière-chocolatière',
      'Pâtissier-confiseur / Pâtissière-confiseuse',
      'Pâtissier-traiteur / Pâtissière-traiteuse',
    ]);
  });

  it('ranks a job whose label matches before jobs found only through titles', () => {
    expect(rechercherMetiers('PÂTISSERIE').map((r) => r.code)).toEqual(['D1104', 'D1502', 'D1106', 'D1507', 'G1602', 'H2102']);
    expect(rechercherMetiers('pâtisserie', 1)).toEqual([{ code: 'D1104', libelle: 'Pâtisserie, confiserie, chocolaterie et glacerie', appellations: [] }]);
  });

  it('requires every word, each as the beginning of a word of the label, in any order', () => {
    expect(rechercherMetiers('agent propreté').map((r) => [r.code, r.appellations.length])).toEqual([
      ['K2204', 8],
      ['K2303', 2],
      ['J1301', 1],
    ]);
    expect(rechercherMetiers('propreté agent').map((r) => r.code)).toEqual(['K2204', 'K2303', 'J1301']);
    expect(rechercherMetiers('aide à domicile').map((r) => r.code)).toEqual(['K1304', 'K1403', 'J1501']);
    expect(rechercherMetiers('Aide à domicile')[0]!.appellations).toEqual(['Aide à domicile', 'Aide ménager / ménagère à domicile']);
  });

  it('matches the beginning of words, not any substring ("ash" does not find "Cash manager")', () => {
    expect(rechercherMetiers('ash')).toEqual([]);
    expect(rechercherMetiers('tissier')).toEqual([]);
  });

  it('finds a label with an apostrophe or a comma whichever way they are typed', () => {
    expect(rechercherMetiers("conduite d'engins de déplacement des charges")[0]!.code).toBe('N1101');
    expect(rechercherMetiers('conduite d engins deplacement charges')[0]!.code).toBe('N1101');
    expect(rechercherMetiers('Polyculture élevage')[0]).toEqual({
      code: 'A1416',
      libelle: 'Polyculture, élevage',
      appellations: ['Chef d\'équipe en polyculture élevage', 'Ouvrier / Ouvrière en polyculture élevage', 'Second / Seconde d\'exploitation en polyculture élevage'],
    });
  });

  it('puts the job whose label is exactly the text first', () => {
    expect(rechercherMetiers('services domestiques')).toEqual([{ code: 'K1304', libelle: 'Services domestiques', appellations: [] }]);
  });

  it('honours the limit and finds nothing for an empty or unknown text', () => {
    expect(rechercherMetiers('oeuvre', 3)).toHaveLength(3);
    expect(rechercherMetiers('agent', 50)).toHaveLength(50);
    expect(rechercherMetiers('')).toEqual([]);
    expect(rechercherMetiers('  -  ')).toEqual([]);
    expect(rechercherMetiers('xyzzy')).toEqual([]);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => rechercherMetiers('cariste', 0)).toThrow(new RangeError('La limite de recherche doit être un entier positif (reçu : 0).'));
    expect(() => rechercherMetiers('cariste', 2.5)).toThrow(RangeError);
  });
});
