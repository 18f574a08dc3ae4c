import { estSecret, masquerMesure, masquerSelon, secretSecondaire, secretStatistiqueApplicable, SEUIL_SECRET_STATISTIQUE, taux, tauxSelon } from '../statistical-secrecy';

describe('statistical secrecy', () => {
  it('hides every count below 5, zero included, and shows 5 and more', () => {
    expect(SEUIL_SECRET_STATISTIQUE).toBe(5);
    expect([0, 1, 3, 4, 5, 6, 120].map((n) => estSecret(n))).toEqual([true, true, true, true, false, false, false]);
    expect(estSecret(null)).toBe(false);
  });

  it('applies to analysts only', () => {
    expect(secretStatistiqueApplicable(['ANALYSTE'])).toBe(true);
    expect(secretStatistiqueApplicable(['ANALYSTE', 'COORDINATION'])).toBe(false);
    expect(secretStatistiqueApplicable(['ANALYSTE', 'ADMIN'])).toBe(false);
    expect(secretStatistiqueApplicable(['COORDINATION'])).toBe(false);
    expect(secretStatistiqueApplicable([])).toBe(false);
  });

  it('hides every small count of a table, with no breakdown to protect', () => {
    expect([...secretSecondaire({ a: 3, b: 0, c: 5, d: 120 }, [])].sort()).toEqual(['a', 'b']);
    const o = { canal: 'OFII', nombre: 3, autre: 7 };
    expect(masquerSelon(o, { nombre: 'a', autre: 'c' }, new Set(['a']))).toEqual({ canal: 'OFII', nombre: null, autre: 7, masque: true });
    expect(masquerSelon(o, { nombre: 'a' }, new Set())).toEqual({ canal: 'OFII', nombre: 3, autre: 7, masque: false });
    expect(o.nombre).toBe(3);
    expect(taux(1, 4)).toBe(0.25);
    expect(taux(0, 0)).toBeNull();
  });

  it('hides a delay measured on fewer than 5 people', () => {
    expect(masquerMesure({ nombre: 4, mediane: 12, p90: 20, cible: 31 }, ['mediane', 'p90'], true)).toEqual({ nombre: null, mediane: null, p90: null, cible: 31, masque: true });
    expect(masquerMesure({ nombre: 5, mediane: 12, p90: 20 }, ['mediane', 'p90'], true)).toEqual({ nombre: 5, mediane: 12, p90: 20, masque: false });
  });
});

/** The keys `secretSecondaire` hides for one breakdown of `cellules` (named a, b, c ...) under `total`. */
function cachees(cellules: number[], options: { total?: number; reste?: boolean } = {}): string[] {
  const cles = cellules.map((_, i) => String.fromCharCode(97 + i));
  const comptes: Record<string, number> = Object.fromEntries(cles.map((c, i) => [c, cellules[i]!]));
  if (options.total !== undefined) comptes.total = options.total;
  const masques = secretSecondaire(comptes, [{ ...(options.total !== undefined ? { total: 'total' } : {}), cellules: cles, reste: options.reste }]);
  return [...masques].sort();
}

describe('secondary suppression', () => {
  it('hides the smallest visible cell with a lone hidden one, so that subtraction gives nothing back', () => {
    // Total 40 published: alone, the hidden 3 would be 40 − 10 − 7 − 20. With the 7 hidden too, the two
    // hidden cells add up to 10, which 3 + 7, 4 + 6, 0 + 10 ... all fit.
    expect(cachees([3, 10, 7, 20], { total: 40 })).toEqual(['a', 'c']);
    // Between equal counts, the first one published.
    expect(cachees([12, 9, 2, 9])).toEqual(['b', 'c']);
  });

  it('leaves a breakdown alone when nothing, everything, or at least two cells holding 5 people are hidden', () => {
    expect(cachees([5, 12, 40])).toEqual([]);
    expect(cachees([1, 3, 2], { total: 6 })).toEqual(['a', 'b', 'c']);
    expect(cachees([3, 4, 30])).toEqual(['a', 'b']);
  });

  it('hides more when the hidden cells add up to less than 5: two zeros would say both are zero', () => {
    expect(cachees([0, 0, 50], { total: 50 })).toEqual(['a', 'b', 'c']);
    expect(cachees([1, 2, 50, 6])).toEqual(['a', 'b', 'd']);
  });

  it('needs nothing more when the total itself is small: every cell is hidden with it', () => {
    expect(cachees([1, 2, 1], { total: 4 })).toEqual(['a', 'b', 'c', 'total']);
  });

  it('treats the remainder of a total as a cell: 10 out of 12 in the target would give away the 2 outside', () => {
    expect(cachees([10], { total: 12, reste: true })).toEqual(['a']);
    expect(cachees([7], { total: 12, reste: true })).toEqual([]);
    // A hidden numerator is protected by the remainder, which is not published: the denominator stays.
    expect(cachees([3], { total: 12, reste: true })).toEqual(['a']);
    expect(cachees([3], { total: 4, reste: true })).toEqual(['a', 'total']);
  });

  it('hides a number published twice in both breakdowns, and opens a breakdown whose total got hidden', () => {
    // Exits by motive (total known from the monthly series) and exclusions by motive (total = the exits
    // by exclusion). The 3 refusals hide the 6 exclusions too; then the exclusions' motives, 4 + 2, must
    // not add the hidden 6 back up: they are hidden as well.
    const comptes = { 'sortie:SORTIE': 20, 'sortie:REFUS': 3, 'sortie:EXCLUSION': 6, 'sortie:FIN': 9, 'exclusion:A': 6, 'exclusion:B': 0 };
    const masques = secretSecondaire(comptes, [
      { cellules: ['sortie:SORTIE', 'sortie:REFUS', 'sortie:EXCLUSION', 'sortie:FIN'] },
      { total: 'sortie:EXCLUSION', cellules: ['exclusion:A', 'exclusion:B'] },
    ]);
    expect([...masques].sort()).toEqual(['exclusion:A', 'exclusion:B', 'sortie:EXCLUSION', 'sortie:REFUS']);
  });

  it('refuses a breakdown naming a count the table does not hold', () => {
    expect(() => secretSecondaire({ a: 1 }, [{ cellules: ['a', 'b'] }])).toThrow(/« b », absent de la table/);
    expect(() => secretSecondaire({ a: 1 }, [{ cellules: ['a'], reste: true }])).toThrow(/reste mais pas de total/);
  });

  it('applies the hidden keys to objects and rates', () => {
    const masques = new Set(['n', 'num']);
    expect(masquerSelon({ canal: 'OFII', nombre: 12 }, { nombre: 'n' }, masques)).toEqual({ canal: 'OFII', nombre: null, masque: true });
    expect(masquerSelon({ canal: 'OFII', nombre: 12 }, { nombre: 'm' }, masques)).toEqual({ canal: 'OFII', nombre: 12, masque: false });
    expect(tauxSelon({ numerateur: 10, denominateur: 12, taux: 10 / 12 }, { numerateur: 'num', denominateur: 'den' }, masques)).toEqual({
      numerateur: null, denominateur: 12, taux: null, masque: true,
    });
    expect(tauxSelon({ numerateur: 10, denominateur: 12, taux: 10 / 12 }, { numerateur: 'x', denominateur: 'den' }, masques)).toEqual({
      numerateur: 10, denominateur: 12, taux: 10 / 12, masque: false,
    });
  });
});
