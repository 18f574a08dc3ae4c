import { badUserInput } from '@agir/common';
import { FranceTravailOffres, franceTravailConfig } from './connectors/france-travail';
import type { EmploiFormationContext } from './loaders';

/**
 * One France Travail client per process, made on first use from the environment: it holds the
 * partner token and a brief cache of public job offers (no personal data), shared by all callers.
 * Without credentials the feature answers an explained empty list.
 */
let client: FranceTravailOffres | null | undefined;

function franceTravail(): FranceTravailOffres | null {
  if (client === undefined) {
    const options = franceTravailConfig(process.env);
    client = options ? new FranceTravailOffres(options) : null;
  }
  return client;
}

/** For tests: forget the client so that the next call reads the environment again. */
export function reinitialiserFranceTravail(): void {
  client = undefined;
}

const COMMUNE = /^([0-9]{5}|2[AB][0-9]{3})$/;

/** `Parcours.offresEmploi`: current offers for the ROME codes of the person's professional project. */
export async function offresEmploi(
  parcoursId: string,
  args: { commune: string; distanceKm?: number | null; typeContrat?: string[] | null },
  ctx: EmploiFormationContext,
) {
  if (!COMMUNE.test(args.commune)) throw badUserInput(`« commune » doit être un code INSEE (ex. 44109 pour Nantes), reçu « ${args.commune} ».`, 'commune');
  const distance = args.distanceKm ?? 20;
  if (!Number.isInteger(distance) || distance < 0 || distance > 200) throw badUserInput(`« distanceKm » doit être un entier entre 0 et 200, reçu ${distance}.`, 'distanceKm');
  const projet = await ctx.loaders.projet.load(parcoursId);
  if (!projet || projet.codesRome.length === 0) {
    return { offres: [], total: 0, indisponible: false, raison: "Le projet professionnel ne vise encore aucun métier (code ROME) : rien à chercher." };
  }
  const ft = franceTravail();
  if (!ft) return { offres: [], total: 0, indisponible: true, raison: "La recherche d'offres France Travail n'est pas configurée sur ce hub." };
  const reponse = await ft.suggererOffres({
    codesRome: projet.codesRome,
    commune: args.commune,
    distance,
    ...(args.typeContrat?.length ? { typeContrat: args.typeContrat } : {}),
    range: [0, 19],
  });
  return {
    offres: reponse.offres.map((o) => ({
      id: o.id,
      intitule: o.intitule,
      codeRome: o.romeCode,
      entreprise: o.entreprise,
      typeContrat: o.typeContrat,
      lieu: o.lieuTravail.libelle,
      dateCreation: o.dateCreation,
      url: o.urlOrigine ?? o.urlPostulation,
    })),
    total: reponse.total,
    indisponible: reponse.indisponible,
    raison: reponse.raison,
  };
}
