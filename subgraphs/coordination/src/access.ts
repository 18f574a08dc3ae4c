import { requireDepartement, requireRole, type Role, type Viewer } from '@agir/common';

/**
 * Who may do what in Coordination, in one table, so that the full access model can replace it in
 * one place. Every resolver calls `autoriser` once, before anything else, and `autoriserParcours`
 * on each parcours it reads or writes.
 */
const REGLES = {
  ORIENTER_OFII: { roles: ['OFII'], action: "L'orientation par l'OFII" },
  SOUMETTRE_FICHE_LIAISON: { roles: ['PRESCRIPTEUR'], action: "La soumission d'une fiche de liaison" },
  REPONSE_OFII: { roles: ['OFII', 'COORDINATION'], action: "L'enregistrement de la réponse de l'OFII" },
  LIRE_FICHES_LIAISON: { roles: ['COORDINATION', 'OFII'], action: 'La lecture des fiches de liaison' },
  ENTREE_PREFET: { roles: ['COORDINATION', 'OFII'], action: "L'entrée sur instruction du représentant de l'État" },
  FAIRE_AVANCER_PARCOURS: { roles: ['COORDINATION'], action: "Le changement d'étape d'un parcours" },
  CONTENU_ETAPE: { roles: ['COORDINATION'], action: "L'enregistrement du contenu d'une étape" },
  ATELIERS: { roles: ['COORDINATION'], action: "L'enregistrement d'un atelier collectif" },
  CONVENTIONS: { roles: ['COORDINATION', 'ADMIN'], action: "L'enregistrement d'une convention" },
  RECHERCHER_PERSONNES: { roles: ['COORDINATION', 'REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION', 'OFII'], action: 'La recherche de personnes' },
  FUSIONNER_PERSONNES: { roles: ['COORDINATION'], action: "La fusion de deux dossiers d'une personne" },
  ANNUAIRE_REFERENTS: { roles: ['COORDINATION', 'REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION', 'ADMIN'], action: "La lecture de l'annuaire des référents" },
  ALERTES: { roles: ['COORDINATION', 'REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION', 'ADMIN'], action: 'La lecture des alertes' },
} as const satisfies Record<string, { roles: readonly Role[]; action: string }>;

export type OperationCoordination = keyof typeof REGLES;

/** Refuses (FORBIDDEN) unless the viewer's roles allow `operation`. */
export function autoriser(viewer: Viewer, operation: OperationCoordination): void {
  const regle = REGLES[operation];
  requireRole(viewer, [...regle.roles], regle.action);
}

/** Refuses (FORBIDDEN) a parcours (or fiche, or site) outside the viewer's départements. */
export function autoriserParcours(viewer: Viewer, cible: { departement: string }): void {
  requireDepartement(viewer, cible.departement);
}
