import { estSecret, masquerComptes, masquerMesure, masquerTaux, secretStatistiqueApplicable, SEUIL_SECRET_STATISTIQUE, taux } from '../statistical-secrecy';

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

  it('nulls the small counts of an object and says so, leaving other keys alone', () => {
    const o = { canal: 'OFII', nombre: 3, autre: 7 };
    expect(masquerComptes(o, ['nombre', 'autre'], true)).toEqual({ canal: 'OFII', nombre: null, autre: 7, masque: true });
    expect(masquerComptes({ nombre: 5 }, ['nombre'], true)).toEqual({ nombre: 5, masque: false });
    expect(masquerComptes(o, ['nombre'], false)).toEqual({ canal: 'OFII', nombre: 3, autre: 7, masque: false });
    expect(o.nombre).toBe(3);
  });

  it('hides a rate with its masked numerator or denominator', () => {
    expect(masquerTaux({ numerateur: 3, denominateur: 10, taux: 0.3 }, true)).toEqual({ numerateur: null, denominateur: 10, taux: null, masque: true });
    expect(masquerTaux({ numerateur: 5, denominateur: 10, taux: 0.5 }, true)).toEqual({ numerateur: 5, denominateur: 10, taux: 0.5, masque: false });
    expect(masquerTaux({ numerateur: 3, denominateur: 4, taux: 0.75 }, false)).toEqual({ numerateur: 3, denominateur: 4, taux: 0.75, masque: false });
    expect(taux(1, 4)).toBe(0.25);
    expect(taux(0, 0)).toBeNull();
  });

  it('hides a delay measured on fewer than 5 people', () => {
    expect(masquerMesure({ nombre: 4, mediane: 12, p90: 20, cible: 31 }, ['mediane', 'p90'], true)).toEqual({ nombre: null, mediane: null, p90: null, cible: 31, masque: true });
    expect(masquerMesure({ nombre: 5, mediane: 12, p90: 20 }, ['mediane', 'p90'], true)).toEqual({ nombre: 5, mediane: 12, p90: 20, masque: false });
  });
});
