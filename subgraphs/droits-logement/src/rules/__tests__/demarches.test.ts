import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  changerStatutDemarche,
  ChangementDemarcheInvalide,
  dateDernierChangement,
  delaiOuvertureDroits,
  MOTIFS_BLOCAGE,
  nouvelleDemarche,
  STATUTS_DEMARCHE,
  STATUTS_FINAUX_DEMARCHE,
  TransitionDemarcheInvalide,
  TRANSITIONS_DEMARCHE,
  transitionPermise,
  TYPES_DEMARCHE_DROIT,
  type Blocage,
  type Demarche,
  type StatutDemarche,
} from '..';

const SDL = readFileSync(path.join(__dirname, '..', '..', 'droits-logement.graphql'), 'utf8');

function enumSdl(name: string): string[] {
  const match = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(SDL);
  if (!match) throw new Error(`enum ${name} not found in the SDL`);
  return match[1]!.split(/\s+/).filter(Boolean);
}

const BLOCAGE: Blocage = { motif: 'PIECE_MANQUANTE', commentaire: "Acte de naissance OFPRA attendu" };

/** A procedure in `statut`, with the dates it would have reached that status with. */
function demarcheAu(statut: StatutDemarche): Demarche {
  const base: Demarche = { type: 'CAF_PRESTATIONS_FAMILIALES', statut, dateDebut: null, dateFin: null, bloqueeDepuis: null, blocage: null, dernierChangement: '2024-01-01' };
  switch (statut) {
    case 'A_ENGAGER':
      return base;
    case 'EN_COURS':
      return { ...base, dateDebut: '2024-01-01' };
    case 'BLOQUE':
      return { ...base, dateDebut: '2023-12-01', bloqueeDepuis: '2024-01-01', blocage: BLOCAGE };
    case 'OBTENU':
    case 'ABANDONNE':
      return { ...base, dateDebut: '2023-12-01', dateFin: '2024-01-01' };
  }
}

const PERMISES: [StatutDemarche, StatutDemarche][] = [
  ['A_ENGAGER', 'EN_COURS'],
  ['A_ENGAGER', 'ABANDONNE'],
  ['EN_COURS', 'OBTENU'],
  ['EN_COURS', 'BLOQUE'],
  ['EN_COURS', 'ABANDONNE'],
  ['BLOQUE', 'EN_COURS'],
  ['BLOQUE', 'OBTENU'],
  ['BLOQUE', 'ABANDONNE'],
];

const TOUTES = STATUTS_DEMARCHE.flatMap((de) => STATUTS_DEMARCHE.map((vers) => [de, vers] as [StatutDemarche, StatutDemarche]));
const estPermise = ([de, vers]: [StatutDemarche, StatutDemarche]) => PERMISES.some(([a, b]) => a === de && b === vers);
const REFUSEES = TOUTES.filter((t) => !estPermise(t));

describe('the SDL and the rules agree', () => {
  it('on the types of procedure', () => {
    expect([...TYPES_DEMARCHE_DROIT].sort()).toEqual(enumSdl('TypeDemarcheDroit').sort());
  });

  it('on the statuses', () => {
    expect([...STATUTS_DEMARCHE]).toEqual(enumSdl('StatutDemarche'));
  });
});

describe('the status machine', () => {
  it('is the table of the brief, and only it', () => {
    expect(TOUTES).toHaveLength(25);
    expect(REFUSEES).toHaveLength(17);
    expect(Object.entries(TRANSITIONS_DEMARCHE).flatMap(([de, vers]) => vers.map((v) => [de, v]))).toEqual(PERMISES);
    expect(STATUTS_FINAUX_DEMARCHE).toEqual(['OBTENU', 'ABANDONNE']);
  });

  it.each(PERMISES)('allows %s -> %s', (de, vers) => {
    expect(transitionPermise(de, vers)).toBe(true);
    const suivante = changerStatutDemarche(demarcheAu(de), vers, { date: '2024-02-01', ...(vers === 'BLOQUE' ? { blocage: BLOCAGE } : {}) });
    expect(suivante.statut).toBe(vers);
    expect(suivante.dernierChangement).toBe('2024-02-01');
  });

  it.each(REFUSEES)('refuses %s -> %s', (de, vers) => {
    expect(transitionPermise(de, vers)).toBe(false);
    const demarche = demarcheAu(de);
    let erreur: unknown;
    try {
      changerStatutDemarche(demarche, vers, { date: '2024-02-01', ...(vers === 'BLOQUE' ? { blocage: BLOCAGE } : {}) });
    } catch (e) {
      erreur = e;
    }
    expect(erreur).toBeInstanceOf(TransitionDemarcheInvalide);
    const t = erreur as TransitionDemarcheInvalide;
    expect(t.statutActuel).toBe(de);
    expect(t.statutDemande).toBe(vers);
    expect(t.statutsPermis).toEqual(PERMISES.filter(([a]) => a === de).map(([, b]) => b));
    expect(demarche).toEqual(demarcheAu(de)); // untouched
  });

  it('names the statuses in its French message', () => {
    expect(() => changerStatutDemarche(demarcheAu('EN_COURS'), 'A_ENGAGER', { date: '2024-02-01' })).toThrow(
      'La démarche CAF_PRESTATIONS_FAMILIALES est au statut EN_COURS et ne peut pas passer au statut A_ENGAGER. Statuts possibles depuis EN_COURS : OBTENU, BLOQUE, ABANDONNE.',
    );
    expect(() => changerStatutDemarche(demarcheAu('A_ENGAGER'), 'OBTENU', { date: '2024-02-01' })).toThrow(
      'La démarche CAF_PRESTATIONS_FAMILIALES est au statut A_ENGAGER et ne peut pas passer au statut OBTENU. Statuts possibles depuis A_ENGAGER : EN_COURS, ABANDONNE.',
    );
    expect(() => changerStatutDemarche(demarcheAu('OBTENU'), 'EN_COURS', { date: '2024-02-01' })).toThrow(
      'La démarche CAF_PRESTATIONS_FAMILIALES est au statut OBTENU, qui est final : elle ne peut plus passer au statut EN_COURS. Créez une nouvelle démarche si besoin.',
    );
  });
});

describe('changerStatutDemarche: dates and blockages', () => {
  it('creates a procedure to start', () => {
    expect(nouvelleDemarche('TITRE_SEJOUR', '2024-01-05')).toEqual({
      type: 'TITRE_SEJOUR',
      statut: 'A_ENGAGER',
      dateDebut: null,
      dateFin: null,
      bloqueeDepuis: null,
      blocage: null,
      dernierChangement: '2024-01-05',
    });
    expect(() => nouvelleDemarche('PERMIS_DE_PECHE' as never, '2024-01-05')).toThrow(ChangementDemarcheInvalide);
  });

  it('follows a whole procedure: start, block, unblock, block again, obtain', () => {
    const creee = { ...nouvelleDemarche('CAF_PRESTATIONS_FAMILIALES', '2024-01-05'), id: 'd1', organisme: 'CAF de Loire-Atlantique' };
    const engagee = changerStatutDemarche(creee, 'EN_COURS', { date: '2024-01-10' });
    expect(engagee).toEqual({ ...creee, statut: 'EN_COURS', dateDebut: '2024-01-10', dernierChangement: '2024-01-10' });

    const bloquee = changerStatutDemarche(engagee, 'BLOQUE', { date: '2024-02-01', blocage: { motif: 'DELAI_ORGANISME', commentaire: '  Dossier en attente à la CAF ' } });
    expect(bloquee).toEqual({
      ...engagee,
      statut: 'BLOQUE',
      bloqueeDepuis: '2024-02-01',
      blocage: { motif: 'DELAI_ORGANISME', commentaire: 'Dossier en attente à la CAF' },
      dernierChangement: '2024-02-01',
    });

    const debloquee = changerStatutDemarche(bloquee, 'EN_COURS', { date: '2024-02-20' });
    expect(debloquee).toEqual({ ...engagee, dateDebut: '2024-01-10', bloqueeDepuis: null, blocage: null, dernierChangement: '2024-02-20' });

    const rebloquee = changerStatutDemarche(debloquee, 'BLOQUE', { date: '2024-03-01', blocage: { motif: 'BLOCAGE_ADMINISTRATIF', commentaire: null } });
    expect([rebloquee.bloqueeDepuis, rebloquee.blocage]).toEqual(['2024-03-01', { motif: 'BLOCAGE_ADMINISTRATIF', commentaire: null }]);

    const obtenue = changerStatutDemarche(rebloquee, 'OBTENU', { date: '2024-03-11' });
    expect(obtenue).toEqual({
      ...creee,
      statut: 'OBTENU',
      dateDebut: '2024-01-10',
      dateFin: '2024-03-11',
      bloqueeDepuis: null,
      blocage: null,
      dernierChangement: '2024-03-11',
    });
    expect(delaiOuvertureDroits(obtenue)).toBe(61);
    // The input objects are left as they were.
    expect(bloquee.statut).toBe('BLOQUE');
    expect(creee.statut).toBe('A_ENGAGER');
  });

  it('keeps a dateDebut already set when going EN_COURS', () => {
    const avecDebut: Demarche = { ...demarcheAu('A_ENGAGER'), dateDebut: '2023-12-15' };
    expect(changerStatutDemarche(avecDebut, 'EN_COURS', { date: '2024-01-02' }).dateDebut).toBe('2023-12-15');
  });

  it('sets dateFin when dropped, before or after starting', () => {
    expect(changerStatutDemarche(demarcheAu('A_ENGAGER'), 'ABANDONNE', { date: '2024-01-20' })).toMatchObject({ statut: 'ABANDONNE', dateDebut: null, dateFin: '2024-01-20' });
    expect(changerStatutDemarche(demarcheAu('BLOQUE'), 'ABANDONNE', { date: '2024-01-20' })).toMatchObject({
      statut: 'ABANDONNE',
      dateDebut: '2023-12-01',
      dateFin: '2024-01-20',
      bloqueeDepuis: null,
      blocage: null,
    });
  });

  function changementRefuse(demarche: Demarche, statut: StatutDemarche, changement: Parameters<typeof changerStatutDemarche>[2]): ChangementDemarcheInvalide {
    try {
      changerStatutDemarche(demarche, statut, changement);
    } catch (error) {
      expect(error).toBeInstanceOf(ChangementDemarcheInvalide);
      return error as ChangementDemarcheInvalide;
    }
    throw new Error('expected the change to be refused');
  }

  it('refuses blocking without a motif', () => {
    for (const blocage of [undefined, null]) {
      const e = changementRefuse(demarcheAu('EN_COURS'), 'BLOQUE', { date: '2024-02-01', blocage });
      expect([e.probleme, e.champ, e.message]).toEqual([
        'BLOCAGE_MANQUANT',
        'blocage',
        'Pour passer une démarche au statut BLOQUE, indiquez le motif du blocage (BLOCAGE_ADMINISTRATIF, PIECE_MANQUANTE, DELAI_ORGANISME, AUTRE).',
      ]);
    }
  });

  it('refuses an unknown motif, and AUTRE without a comment', () => {
    const inconnu = changementRefuse(demarcheAu('EN_COURS'), 'BLOQUE', { date: '2024-02-01', blocage: { motif: 'GREVE' as never, commentaire: null } });
    expect(inconnu.probleme).toBe('MOTIF_BLOCAGE_INCONNU');
    const autre = changementRefuse(demarcheAu('EN_COURS'), 'BLOQUE', { date: '2024-02-01', blocage: { motif: 'AUTRE', commentaire: ' ' } });
    expect(autre.probleme).toBe('COMMENTAIRE_BLOCAGE_MANQUANT');
    expect(changerStatutDemarche(demarcheAu('EN_COURS'), 'BLOQUE', { date: '2024-02-01', blocage: { motif: 'AUTRE', commentaire: 'Banque injoignable' } }).blocage).toEqual({
      motif: 'AUTRE',
      commentaire: 'Banque injoignable',
    });
  });

  it.each(MOTIFS_BLOCAGE)('accepts the motif %s', (motif) => {
    const bloquee = changerStatutDemarche(demarcheAu('EN_COURS'), 'BLOQUE', { date: '2024-02-01', blocage: { motif, commentaire: 'Précision' } });
    expect(bloquee.blocage).toEqual({ motif, commentaire: 'Précision' });
  });

  it('refuses a blockage given for another status', () => {
    const e = changementRefuse(demarcheAu('BLOQUE'), 'EN_COURS', { date: '2024-02-01', blocage: BLOCAGE });
    expect([e.probleme, e.message]).toEqual([
      'BLOCAGE_INATTENDU',
      "Un motif de blocage ne s'indique que pour passer au statut BLOQUE, pas au statut EN_COURS : retirez le blocage.",
    ]);
  });

  it('refuses a date before the last change, accepts the same day', () => {
    const e = changementRefuse(demarcheAu('EN_COURS'), 'OBTENU', { date: '2023-12-31' });
    expect([e.probleme, e.champ, e.message]).toEqual([
      'DATE_ANTERIEURE',
      'date',
      'Le changement de statut du 2023-12-31 est antérieur au dernier changement de la démarche (2024-01-01) : indiquez une date égale ou postérieure au 2024-01-01.',
    ]);
    expect(changerStatutDemarche(demarcheAu('EN_COURS'), 'OBTENU', { date: '2024-01-01' }).dateFin).toBe('2024-01-01');
  });

  it('falls back on the latest known date when the last change is unknown', () => {
    const ancienne: Demarche = { ...demarcheAu('BLOQUE'), dernierChangement: null };
    expect(dateDernierChangement(ancienne)).toBe('2024-01-01');
    expect(changementRefuse(ancienne, 'EN_COURS', { date: '2023-12-20' }).probleme).toBe('DATE_ANTERIEURE');
    expect(dateDernierChangement({ dateDebut: null, dateFin: null, bloqueeDepuis: null, dernierChangement: null })).toBeNull();
    const sansDate: Demarche = { ...demarcheAu('A_ENGAGER'), dernierChangement: null };
    expect(changerStatutDemarche(sansDate, 'EN_COURS', { date: '2000-01-01' }).dateDebut).toBe('2000-01-01');
  });

  it('refuses a malformed date', () => {
    const e = changementRefuse(demarcheAu('EN_COURS'), 'OBTENU', { date: '2024-13-01' });
    expect([e.probleme, e.message]).toEqual(['DATE_INVALIDE', "Date invalide : '2024-13-01'. Indiquez une date AAAA-MM-JJ."]);
  });
});

describe('delaiOuvertureDroits', () => {
  it('counts the days from start to obtaining', () => {
    expect(delaiOuvertureDroits({ statut: 'OBTENU', dateDebut: '2024-01-10', dateFin: '2024-01-10' })).toBe(0);
    expect(delaiOuvertureDroits({ statut: 'OBTENU', dateDebut: '2023-12-20', dateFin: '2024-03-01' })).toBe(72);
  });

  it.each(['A_ENGAGER', 'EN_COURS', 'BLOQUE', 'ABANDONNE'] as const)('is null for a procedure %s', (statut) => {
    expect(delaiOuvertureDroits({ statut, dateDebut: '2024-01-10', dateFin: '2024-02-10' })).toBeNull();
  });

  it('is null when a date is missing', () => {
    expect(delaiOuvertureDroits({ statut: 'OBTENU', dateDebut: null, dateFin: '2024-02-10' })).toBeNull();
    expect(delaiOuvertureDroits({ statut: 'OBTENU', dateDebut: '2024-01-10', dateFin: null })).toBeNull();
  });
});
