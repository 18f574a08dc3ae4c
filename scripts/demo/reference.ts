import type { Domaine, ReferentRow, SiteRow, StructureRow } from '../../subgraphs/coordination/src/entities';
import { communeByName, type Departement } from './communes';
import type { Random } from './random';

/**
 * The programme's fixed landscape in Loire-Atlantique and Vendée: the structures of the
 * "AGIR Ensemble en Pays de la Loire" consortium and their partners (seed 000, 002), the centres,
 * antennes and équipes mobiles of seed 002, and the referents who follow the parcours.
 */

export type StructureKey = 'GROUPE_SOS' | 'AURORE' | 'SOLIHA' | 'CFP' | 'RETRAVAILLER' | 'FACE' | 'AREAMS' | 'OFII';

interface StructureDef {
  key: StructureKey;
  nom: string;
  domaines: Domaine[];
  departements: Departement[];
  membreGroupement: boolean;
  /** How the association spells its staff's addresses (from the contacts of seed 002). */
  email?: { domain: string; style: 'prenom.nom' | 'p.nom' };
}

const STRUCTURES: readonly StructureDef[] = [
  {
    key: 'GROUPE_SOS',
    nom: 'Groupe SOS Solidarités',
    // The coordinator also follows parcours in both domains (seed 002 lists it under both références).
    domaines: ['COORDINATION', 'DROITS_LOGEMENT', 'EMPLOI_FORMATION'],
    departements: ['44', '85'],
    membreGroupement: true,
    email: { domain: 'groupe-sos.org', style: 'prenom.nom' },
  },
  {
    key: 'AURORE',
    nom: 'Aurore',
    domaines: ['DROITS_LOGEMENT'],
    departements: ['44'],
    membreGroupement: true,
    email: { domain: 'aurore.asso.fr', style: 'p.nom' },
  },
  {
    key: 'SOLIHA',
    nom: 'SOLIHA',
    domaines: ['DROITS_LOGEMENT'],
    departements: ['44', '85'],
    membreGroupement: true,
    email: { domain: 'solihapdl.fr', style: 'p.nom' },
  },
  {
    key: 'CFP',
    nom: "CFP Presqu'île",
    domaines: ['EMPLOI_FORMATION'],
    departements: ['44', '85'],
    membreGroupement: true,
    email: { domain: 'cfp-presquile.com', style: 'prenom.nom' },
  },
  {
    key: 'RETRAVAILLER',
    nom: "Retravailler dans l'Ouest",
    domaines: ['EMPLOI_FORMATION'],
    departements: ['44', '85'],
    membreGroupement: true,
    email: { domain: 'retravailler.org', style: 'prenom.nom' },
  },
  {
    key: 'FACE',
    nom: 'FACE Vendée',
    domaines: ['EMPLOI_FORMATION'],
    departements: ['85'],
    membreGroupement: true,
    email: { domain: 'fondationface.org', style: 'p.nom' },
  },
  // Partners, not members: AREAMS lends its Fontenay-le-Comte premises to the antenne there; the
  // OFII orients the BPI. Neither follows a domain of the parcours (the CHECK allows `{}`).
  { key: 'AREAMS', nom: 'AREAMS', domaines: [], departements: ['85'], membreGroupement: false },
  { key: 'OFII', nom: 'OFII', domaines: [], departements: ['44', '85'], membreGroupement: false },
];

interface SiteDef {
  departement: Departement;
  secteur: string;
  type: SiteRow['type'];
  structure: StructureKey;
  nom: string;
  adresse: string | null;
  codePostal: string | null;
  /** Exact name in the commune referential; null for the équipes mobiles, which have no premises. */
  commune: string | null;
  etat: SiteRow['etat'];
  /**
   * The arrondissements whose residents this site usually receives. Seed 002 gives sectors, not
   * perimeters; the arrondissement of the premises is the nearest real proxy, and the équipes
   * mobiles cover the arrondissements of their sector.
   */
  bassin: string[];
}

// Seed 002, "Couverture départementale": one line per site, in the seed's order. Secteurs keep the
// seed's spelling. "Ouvert" => OUVERT, "Opérationnelle" => OPERATIONNEL, "En cours" => EN_COURS.
const SITES: readonly SiteDef[] = [
  // Loire-Atlantique
  {
    departement: '44', secteur: 'NANTES-MÉTROPOLE', type: 'CENTRE', structure: 'GROUPE_SOS',
    nom: 'Centre 1 AGIR – Rezé', adresse: "L'Agora, 1 rue Victor Hugo", codePostal: '44400', commune: 'Rezé',
    etat: 'OUVERT', bassin: ['442'],
  },
  {
    // Seed: "23 rue Victor Hugo – NANTES". The Victor-Hugo axis of Nantes is on the Île de Nantes (44200).
    departement: '44', secteur: 'NANTES-MÉTROPOLE', type: 'CENTRE', structure: 'CFP',
    nom: 'Centre 2 CFP – Nantes', adresse: '23 rue Victor Hugo', codePostal: '44200', commune: 'Nantes',
    etat: 'OUVERT', bassin: ['442'],
  },
  {
    departement: '44', secteur: 'NANTES-MÉTROPOLE', type: 'ANTENNE', structure: 'RETRAVAILLER',
    nom: 'Antenne Retravailler – Nantes', adresse: '8 impasse de Belgique', codePostal: '44300', commune: 'Nantes',
    etat: 'OPERATIONNEL', bassin: ['442'],
  },
  {
    departement: '44', secteur: 'OUEST & SUD', type: 'CENTRE', structure: 'CFP',
    nom: 'Centre 3 CFP – Saint-Nazaire', adresse: '6 rue Étoile du Matin', codePostal: '44600', commune: 'Saint-Nazaire',
    etat: 'OUVERT', bassin: ['443'],
  },
  {
    departement: '44', secteur: 'OUEST & SUD', type: 'EQUIPE_MOBILE', structure: 'GROUPE_SOS',
    nom: 'Équipe mobile 1 Ouest & Sud', adresse: null, codePostal: null, commune: null,
    etat: 'OPERATIONNEL', bassin: ['443', '442'],
  },
  {
    departement: '44', secteur: 'OUEST & SUD', type: 'ANTENNE', structure: 'CFP',
    nom: 'Antenne CFP – Blain', adresse: '8 rue du 8 Mai', codePostal: '44130', commune: 'Blain',
    etat: 'OPERATIONNEL', bassin: ['445', '443'],
  },
  {
    departement: '44', secteur: 'OUEST & SUD', type: 'ANTENNE', structure: 'CFP',
    nom: 'Antenne CFP – Clisson', adresse: '9 rue des Malifestes', codePostal: '44190', commune: 'Clisson',
    etat: 'OPERATIONNEL', bassin: ['442'],
  },
  {
    // Machecoul merged into Machecoul-Saint-Même in 2016: the referential only knows the new commune.
    departement: '44', secteur: 'OUEST & SUD', type: 'ANTENNE', structure: 'CFP',
    nom: 'Antenne CFP – Machecoul', adresse: '13 rue des Iris', codePostal: '44270', commune: 'Machecoul-Saint-Même',
    etat: 'OPERATIONNEL', bassin: ['442', '443'],
  },
  {
    departement: '44', secteur: 'EST & NORD', type: 'CENTRE', structure: 'GROUPE_SOS',
    nom: 'Centre 4 AGIR – Ancenis-Saint-Géréon', adresse: 'Boulevard du Docteur Moutel', codePostal: '44150',
    commune: 'Ancenis-Saint-Géréon', etat: 'OUVERT', bassin: ['445'],
  },
  {
    departement: '44', secteur: 'EST & NORD', type: 'EQUIPE_MOBILE', structure: 'GROUPE_SOS',
    nom: 'Équipe mobile 2 Est & Nord', adresse: null, codePostal: null, commune: null,
    etat: 'OPERATIONNEL', bassin: ['445'],
  },
  {
    departement: '44', secteur: 'EST & NORD', type: 'ANTENNE', structure: 'RETRAVAILLER',
    nom: 'Antenne Retravailler – Ancenis-Saint-Géréon', adresse: 'Espace Corail', codePostal: '44150',
    commune: 'Ancenis-Saint-Géréon', etat: 'OPERATIONNEL', bassin: ['445'],
  },
  {
    departement: '44', secteur: 'EST & NORD', type: 'ANTENNE', structure: 'RETRAVAILLER',
    nom: 'Antenne Retravailler – Châteaubriant', adresse: '16 rue des Vauzelles', codePostal: '44110',
    commune: 'Châteaubriant', etat: 'OPERATIONNEL', bassin: ['445'],
  },
  // Vendée ("LRY" in the seed is La Roche-sur-Yon)
  {
    departement: '85', secteur: 'LA ROCHE SUR YON', type: 'CENTRE', structure: 'GROUPE_SOS',
    nom: 'Centre AGIR – La Roche-sur-Yon', adresse: '9 rue Jean Moulin', codePostal: '85000', commune: 'La Roche-sur-Yon',
    etat: 'OUVERT', bassin: ['852'],
  },
  {
    departement: '85', secteur: 'LA ROCHE SUR YON', type: 'ANTENNE', structure: 'CFP',
    nom: 'Antenne CFP – La Roche-sur-Yon', adresse: 'Espace Prévert, 78 rue de Chanzy', codePostal: '85000',
    commune: 'La Roche-sur-Yon', etat: 'OPERATIONNEL', bassin: ['852'],
  },
  {
    departement: '85', secteur: 'LA ROCHE SUR YON', type: 'ANTENNE', structure: 'FACE',
    nom: 'Antenne FACE – La Roche-sur-Yon', adresse: '6 place Viollet-le-Duc', codePostal: '85000',
    commune: 'La Roche-sur-Yon', etat: 'OPERATIONNEL', bassin: ['852'],
  },
  {
    departement: '85', secteur: 'LA ROCHE SUR YON', type: 'ANTENNE', structure: 'FACE',
    nom: 'Antenne FACE – Tiers-Lieu numérique', adresse: 'Tiers-Lieu numérique, 106 rue du Général Guérin',
    codePostal: '85000', commune: 'La Roche-sur-Yon', etat: 'OPERATIONNEL', bassin: ['852'],
  },
  {
    departement: '85', secteur: 'NORD & OUEST', type: 'EQUIPE_MOBILE', structure: 'GROUPE_SOS',
    nom: 'Équipe mobile Nord & Ouest', adresse: null, codePostal: null, commune: null,
    etat: 'OPERATIONNEL', bassin: ['853', '852'],
  },
  {
    departement: '85', secteur: 'OUEST', type: 'ANTENNE', structure: 'CFP',
    nom: 'Antenne CFP – Challans', adresse: '88 rue de la Roche-sur-Yon', codePostal: '85300', commune: 'Challans',
    etat: 'OPERATIONNEL', bassin: ['853'],
  },
  {
    // The seed names no association and no address for this antenne being set up: it is carried by
    // the coordinating structure until a member takes it on. 85100 is the town centre's code.
    departement: '85', secteur: 'OUEST', type: 'ANTENNE', structure: 'GROUPE_SOS',
    nom: "Antenne Les Sables-d'Olonne", adresse: null, codePostal: '85100', commune: "Les Sables-d'Olonne",
    etat: 'EN_COURS', bassin: ['853'],
  },
  {
    departement: '85', secteur: 'SUD & EST', type: 'EQUIPE_MOBILE', structure: 'GROUPE_SOS',
    nom: 'Équipe mobile Sud & Est', adresse: null, codePostal: null, commune: null,
    etat: 'OPERATIONNEL', bassin: ['851', '852'],
  },
  {
    // "Ouvert depuis le 15 mars 2023" => OUVERT. Fontenay is Fontenay-le-Comte.
    departement: '85', secteur: 'SUD', type: 'ANTENNE', structure: 'AREAMS',
    nom: 'Antenne AREAMS – Fontenay-le-Comte', adresse: '19 rue des Sablières', codePostal: '85200',
    commune: 'Fontenay-le-Comte', etat: 'OUVERT', bassin: ['851'],
  },
  {
    departement: '85', secteur: 'EST', type: 'ANTENNE', structure: 'RETRAVAILLER',
    nom: 'Antenne Retravailler – Les Herbiers', adresse: "4 rue d'Ardelay", codePostal: '85500', commune: 'Les Herbiers',
    etat: 'OPERATIONNEL', bassin: ['852'],
  },
];

/** A site row with what the generator needs to place parcours on it. */
export interface DemoSite {
  row: SiteRow;
  structure: StructureKey;
  departement: Departement;
  bassin: readonly string[];
}

/** A referent row with the département it works in (the table itself only knows the structure). */
export interface DemoReferent {
  row: ReferentRow;
  structure: StructureKey;
  departement: Departement;
  domaine: 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION';
}

export interface Reference {
  structures: StructureRow[];
  structureIds: Record<StructureKey, string>;
  sites: DemoSite[];
  referents: DemoReferent[];
}

/**
 * Builds the structures, the sites of seed 002 and 2–4 referents per (member structure,
 * département, domain). Every site's commune is looked up in the referential, and its postal
 * code checked against the commune's, so that a typo fails here rather than in a dashboard.
 */
export function buildReference(random: Random): Reference {
  const structureIds = {} as Record<StructureKey, string>;
  const structures: StructureRow[] = STRUCTURES.map((s) => {
    const id = random.uuid();
    structureIds[s.key] = id;
    return { id, nom: s.nom, domaines: s.domaines, departements: s.departements, membreGroupement: s.membreGroupement };
  });

  const sites: DemoSite[] = SITES.map((s) => {
    const commune = s.commune === null ? null : communeByName(s.departement, s.commune);
    if (commune && s.codePostal && !commune.codesPostaux.includes(s.codePostal)) {
      throw new RangeError(`site ${s.nom}: postal code ${s.codePostal} is not one of ${commune.nom}'s (${commune.codesPostaux.join(', ')})`);
    }
    return {
      row: {
        id: random.uuid(),
        nom: s.nom,
        type: s.type,
        departement: s.departement,
        secteur: s.secteur,
        structureId: structureIds[s.structure],
        adresse: s.adresse,
        codePostal: s.codePostal,
        communeInsee: commune?.code ?? null,
        communeNom: commune?.nom ?? null,
        etat: s.etat,
      },
      structure: s.structure,
      departement: s.departement,
      bassin: s.bassin,
    };
  });

  const referents: DemoReferent[] = [];
  const emails = new Set<string>();
  for (const s of STRUCTURES) {
    if (!s.membreGroupement) continue;
    for (const domaine of ['DROITS_LOGEMENT', 'EMPLOI_FORMATION'] as const) {
      if (!s.domaines.includes(domaine)) continue;
      for (const departement of s.departements) {
        const count = random.int(2, 4);
        for (let i = 0; i < count; i += 1) {
          // Social work and insertion staff are mostly women.
          const sex = random.chance(0.75) ? 'female' : 'male';
          const prenom = random.faker.person.firstName(sex);
          const nom = capitalize(random.faker.person.lastName());
          referents.push({
            row: {
              id: random.uuid(),
              nom,
              prenom,
              email: s.email ? uniqueEmail(emails, staffLocalPart(prenom, nom, s.email.style), s.email.domain) : null,
              domaine,
              structureId: structureIds[s.key],
            },
            structure: s.key,
            departement,
            domaine,
          });
        }
      }
    }
  }
  return { structures, structureIds, sites, referents };
}

/** Faker's French data has a few names like "Le gall": capitalise each word ("Le Gall"). */
function capitalize(name: string): string {
  return name.replace(/(^|[\s-])(\p{Ll})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** Lower-case ASCII form of a name for an e-mail address: "Le Gall" => "legall", "Noël" => "noel". */
export function emailSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ı/g, 'i')
    .replace(/œ/g, 'oe')
    .replace(/[^a-z0-9-]/g, '');
}

function staffLocalPart(prenom: string, nom: string, style: 'prenom.nom' | 'p.nom'): string {
  const p = emailSlug(prenom);
  return `${style === 'p.nom' ? p.slice(0, 1) : p}.${emailSlug(nom)}`;
}

function uniqueEmail(taken: Set<string>, local: string, domain: string): string {
  let candidate = `${local}@${domain}`;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${local}${n}@${domain}`;
  taken.add(candidate);
  return candidate;
}
