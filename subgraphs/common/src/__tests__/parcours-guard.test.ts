import { addDays, today } from '../calendar';
import { verifierDateDuParcours, type EtatParcours } from '../parcours-guard';

/** The bounds a domain write's dates are held to, from the parcours's own dates. */
const etat = (changes: Partial<EtatParcours> = {}): EtatParcours => ({
  id: 'p', statut: 'CONTRACTUALISE', departement: '44', referentDroitsLogement: null, referentEmploiFormation: null,
  dateOrientation: '2024-02-01', dateSignatureCir: '2024-01-20', dateFinContrat: null, ...changes,
});
const refus = (f: () => void) => {
  try {
    f();
  } catch (error) {
    const e = error as { message: string; extensions: Record<string, unknown> };
    return { code: e.extensions.code, field: e.extensions.field, bornes: e.extensions.bornes, message: e.message };
  }
  return null;
};

describe('verifierDateDuParcours', () => {
  it('holds a fact of the accompaniment to the earlier of the CIR and the orientation, not a period begun before', () => {
    expect(refus(() => verifierDateDuParcours(etat(), '2024-01-20', 'input.date', { evenement: true }))).toBeNull();
    expect(refus(() => verifierDateDuParcours(etat(), '2024-01-19', 'input.date', { evenement: true }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date', bornes: { debut: '2024-01-20' } });
    expect(refus(() => verifierDateDuParcours(etat(), '2020-05-01', 'input.dateDebut', { evenement: false }))).toBeNull();
  });

  it('refuses what happened after today, unless it is a planned step', () => {
    const demain = addDays(today(), 1);
    expect(refus(() => verifierDateDuParcours(etat(), demain, 'input.date', { evenement: true }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date', bornes: { fin: today() } });
    expect(refus(() => verifierDateDuParcours(etat(), demain, 'input.date', { evenement: true, prevu: true }))).toBeNull();
  });

  it('refuses anything after the contract’s end and its six months of follow-up, planned or not', () => {
    const e = etat({ dateFinContrat: '2024-06-30' });
    expect(refus(() => verifierDateDuParcours(e, '2024-12-30', 'input.date', { evenement: true }))).toBeNull();
    const apres = refus(() => verifierDateDuParcours(e, '2024-12-31', 'input.date', { evenement: true, prevu: true }));
    expect(apres).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date', bornes: { fin: '2024-12-30' } });
    expect(apres!.message).toContain("après la fin de l'accompagnement");
  });
});
