import { criteresSortie, type LogementSortie, type SituationProfessionnelleSortie } from '../exit-criteria';

const parcSocial: LogementSortie = { categorie: 'LOGEMENT_AUTONOME', type: 'PARC_SOCIAL', durable: true, temporaireAccepte: false, depuis: '2024-01-15' };
const residenceSociale: LogementSortie = { categorie: 'LOGEMENT_ACCOMPAGNE_ADAPTE', type: 'RESIDENCE_SOCIALE', durable: false, temporaireAccepte: true, depuis: '2023-07-01' };
const cada: LogementSortie = { categorie: 'DNA', type: 'CADA', durable: false, temporaireAccepte: false, depuis: '2022-11-01' };
const cdi: SituationProfessionnelleSortie = { categorie: 'EMPLOI_DURABLE', stabilise: true, depuis: '2023-10-02' };
const interim: SituationProfessionnelleSortie = { categorie: 'EMPLOI_COURT', stabilise: false, depuis: '2023-05-15' };

const statuts = (r: ReturnType<typeof criteresSortie>) => r.criteres.map((c) => [c.critere, c.statut, c.source]);

describe('criteresSortie', () => {
  it('is met with durable housing and a stabilised professional situation', () => {
    const r = criteresSortie({ logement: parcSocial, professionnel: cdi });
    expect(r).toEqual({
      rempli: true,
      criteres: [
        {
          critere: 'LOGEMENT',
          statut: 'REMPLI',
          source: 'DROITS_LOGEMENT',
          raison: "La personne dispose d'un logement pérenne : logement du parc social depuis le 15/01/2024.",
        },
        {
          critere: 'SITUATION_PROFESSIONNELLE',
          statut: 'REMPLI',
          source: 'EMPLOI_FORMATION',
          raison: 'Situation professionnelle stabilisée pour six mois au moins : emploi durable (CDI, CDD de plus de six mois) depuis le 02/10/2023.',
        },
      ],
    });
  });

  it('accepts the temporary housing of seed 000 (résidence sociale, FJT, IML)', () => {
    const r = criteresSortie({ logement: residenceSociale, professionnel: cdi });
    expect(r.rempli).toBe(true);
    expect(r.criteres[0]?.raison).toBe(
      "La personne dispose d'un logement temporaire accepté (résidence sociale, FJT ou IML) : résidence sociale depuis le 01/07/2023.",
    );
    for (const type of ['FJT', 'IML']) {
      expect(criteresSortie({ logement: { ...residenceSociale, type }, professionnel: cdi }).rempli).toBe(true);
    }
  });

  it('is not met with a housing neither durable nor an accepted temporary one', () => {
    const r = criteresSortie({ logement: cada, professionnel: cdi });
    expect(r.rempli).toBe(false);
    expect(r.criteres[0]).toEqual({
      critere: 'LOGEMENT',
      statut: 'NON_REMPLI',
      source: 'DROITS_LOGEMENT',
      raison: "Le logement actuel (CADA depuis le 01/11/2022) n'est ni pérenne ni un logement temporaire accepté ; il faut un logement pérenne, ou un logement temporaire en résidence sociale, FJT ou IML.",
    });
  });

  it('is not met with a professional situation not stabilised for six months', () => {
    const r = criteresSortie({ logement: parcSocial, professionnel: interim });
    expect(r.rempli).toBe(false);
    expect(statuts(r)).toEqual([
      ['LOGEMENT', 'REMPLI', 'DROITS_LOGEMENT'],
      ['SITUATION_PROFESSIONNELLE', 'NON_REMPLI', 'EMPLOI_FORMATION'],
    ]);
    expect(r.criteres[1]?.raison).toBe(
      "La situation professionnelle (emploi court (CDD de six mois ou moins, intérim) depuis le 15/05/2023) n'est pas stabilisée pour six mois au moins ; il faut une situation professionnelle stabilisée pour six mois au moins (formation qualifiante ou certifiante, contrat en alternance, CDD de plus de six mois, CDI).",
    );
  });

  it('needs both criteria: housing alone or work alone is not enough', () => {
    expect(criteresSortie({ logement: parcSocial, professionnel: interim }).rempli).toBe(false);
    expect(criteresSortie({ logement: cada, professionnel: cdi }).rempli).toBe(false);
    expect(criteresSortie({ logement: cada, professionnel: interim }).rempli).toBe(false);
  });

  it('is unknown, never met, when a domain is unavailable or has no data', () => {
    const sansLogement = criteresSortie({ logement: null, professionnel: cdi });
    expect(sansLogement.rempli).toBe(false);
    expect(sansLogement.criteres[0]).toEqual({
      critere: 'LOGEMENT',
      statut: 'INCONNU',
      source: 'DROITS_LOGEMENT',
      raison:
        "La situation de logement n'est pas connue (domaine Droits & Logement indisponible ou sans donnée) ; il faut un logement pérenne, ou un logement temporaire en résidence sociale, FJT ou IML.",
    });
    const sansPro = criteresSortie({ logement: parcSocial, professionnel: null });
    expect(sansPro.rempli).toBe(false);
    expect(statuts(sansPro)).toEqual([
      ['LOGEMENT', 'REMPLI', 'DROITS_LOGEMENT'],
      ['SITUATION_PROFESSIONNELLE', 'INCONNU', 'EMPLOI_FORMATION'],
    ]);
    expect(statuts(criteresSortie({ logement: null, professionnel: null }))).toEqual([
      ['LOGEMENT', 'INCONNU', 'DROITS_LOGEMENT'],
      ['SITUATION_PROFESSIONNELLE', 'INCONNU', 'EMPLOI_FORMATION'],
    ]);
  });

  it('is unknown when the domain has not qualified the fact', () => {
    expect(criteresSortie({ logement: { ...cada, durable: null, temporaireAccepte: null }, professionnel: cdi }).criteres[0]?.statut).toBe('INCONNU');
    expect(criteresSortie({ logement: { ...cada, durable: false, temporaireAccepte: null }, professionnel: cdi }).criteres[0]?.statut).toBe('INCONNU');
    expect(criteresSortie({ logement: parcSocial, professionnel: { ...cdi, stabilise: null } }).criteres[1]?.statut).toBe('INCONNU');
  });

  it('counts a stabilised situation from its start: six months is its expected duration, not time already spent', () => {
    const r = criteresSortie({ logement: parcSocial, professionnel: { categorie: 'EMPLOI_DURABLE', stabilise: true, depuis: '2024-03-01' }, aujourdhui: '2024-03-04' });
    expect(r.rempli).toBe(true);
  });

  it('refuses a housing or a situation that only starts after the assessment date', () => {
    const r = criteresSortie({ logement: { ...parcSocial, depuis: '2024-04-01' }, professionnel: { ...cdi, depuis: '2024-03-05' }, aujourdhui: '2024-03-04' });
    expect(r.rempli).toBe(false);
    expect(r.criteres.map((c) => c.statut)).toEqual(['NON_REMPLI', 'NON_REMPLI']);
    expect(r.criteres[0]?.raison).toBe(
      'Le logement (logement du parc social) ne commence que le 01/04/2024, après le 04/03/2024 ; il faut un logement pérenne, ou un logement temporaire en résidence sociale, FJT ou IML.',
    );
  });

  it('reads a fact without dates or type', () => {
    const r = criteresSortie({ logement: { categorie: 'LOGEMENT_AUTONOME', type: null, durable: true, temporaireAccepte: false, depuis: null }, professionnel: { categorie: null, stabilise: true, depuis: null } });
    expect(r.rempli).toBe(true);
    expect(r.criteres.map((c) => c.raison)).toEqual([
      "La personne dispose d'un logement pérenne : LOGEMENT_AUTONOME.",
      'Situation professionnelle stabilisée pour six mois au moins : situation non précisée.',
    ]);
  });

  it('rejects a malformed date', () => {
    expect(() => criteresSortie({ logement: { ...parcSocial, depuis: '2024-13-01' }, professionnel: cdi })).toThrow(TypeError);
  });
});
