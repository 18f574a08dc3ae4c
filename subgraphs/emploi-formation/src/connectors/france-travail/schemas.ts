import { z } from 'zod';

/**
 * The shapes France Travail answers with (reference: external-apis.md §1), validated before use.
 * Only what the hub reads is required; the many optional fields of an offer may be absent, as
 * they are on real offers, but a field that is present must have its documented type.
 */

/** The client-credentials token answer. */
export const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, 'token_type Bearer attendu'),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
});
export type TokenAnswer = z.output<typeof tokenSchema>;

const text = z.string().nullish().transform((value) => value ?? null);
const number = z.number().nullish().transform((value) => value ?? null);

/** One offer as the search returns it, mapped to the hub's `Offre`. */
export const offreSchema = z
  .object({
    id: z.string().min(1),
    intitule: z.string().min(1),
    description: text,
    dateCreation: z.string().min(1),
    dateActualisation: text,
    lieuTravail: z
      .object({ libelle: text, commune: text, codePostal: text, latitude: number, longitude: number })
      .nullish(),
    romeCode: text,
    romeLibelle: text,
    appellationlibelle: text,
    entreprise: z.object({ nom: text }).nullish(),
    typeContrat: text,
    typeContratLibelle: text,
    experienceLibelle: text,
    salaire: z.object({ libelle: text }).nullish(),
    dureeTravailLibelleConverti: text,
    alternance: z.boolean().nullish(),
    contact: z.object({ urlPostulation: text }).nullish(),
    origineOffre: z.object({ urlOrigine: text }).nullish(),
  })
  .transform((offre) => ({
    id: offre.id,
    intitule: offre.intitule,
    description: offre.description,
    dateCreation: offre.dateCreation,
    dateActualisation: offre.dateActualisation,
    lieuTravail: {
      libelle: offre.lieuTravail?.libelle ?? null,
      commune: offre.lieuTravail?.commune ?? null,
      codePostal: offre.lieuTravail?.codePostal ?? null,
      latitude: offre.lieuTravail?.latitude ?? null,
      longitude: offre.lieuTravail?.longitude ?? null,
    },
    romeCode: offre.romeCode,
    romeLibelle: offre.romeLibelle,
    appellation: offre.appellationlibelle,
    entreprise: offre.entreprise?.nom ?? null,
    typeContrat: offre.typeContrat,
    typeContratLibelle: offre.typeContratLibelle,
    experienceLibelle: offre.experienceLibelle,
    salaire: offre.salaire?.libelle ?? null,
    dureeTravail: offre.dureeTravailLibelleConverti,
    alternance: offre.alternance ?? null,
    urlPostulation: offre.contact?.urlPostulation ?? null,
    urlOrigine: offre.origineOffre?.urlOrigine ?? null,
  }));

/** A job offer, as the hub shows it to a referent. */
export type Offre = z.output<typeof offreSchema>;

/** The search answer (200 or 206). */
export const rechercheSchema = z.object({
  resultats: z.array(offreSchema),
  filtresPossibles: z.array(z.unknown()).optional(),
});
