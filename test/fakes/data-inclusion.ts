import { bearer, FakeHttpServer, type FakeRequest, type FakeResponse } from './http-fake';

/**
 * A fake of the data·inclusion API v1 (external-apis.md §2): `GET /api/v1/services` and
 * `GET /api/v1/structures` with `code_departement`, repeated `thematiques` and `publics` keys, and
 * `page` (from 1) / `size` (max 10,000) pagination answered as `{items,total,page,size,pages}`.
 * Errors as FastAPI gives them: 401 `{"detail":…}` without a valid bearer token, 422 for an
 * unknown département or an out-of-range page size. Routes are named `services` and `structures`.
 */

export const FAKE_DATA_INCLUSION_TOKEN = 'jeton-data-inclusion-de-test';

export interface FakeStructure {
  id: string;
  source: string;
  nom: string;
  code_insee: string | null;
  [key: string]: unknown;
}
export interface FakeService {
  id: string;
  structure_id: string;
  source: string;
  nom: string;
  thematiques: string[];
  publics: string[];
  code_insee: string | null;
  [key: string]: unknown;
}

const DEPARTEMENTS = new Set(['44', '49', '53', '72', '85']);

export function fakeStructure(id: string, nom: string, codeInsee: string, commune: string, extra: Partial<FakeStructure> = {}): FakeStructure {
  return {
    source: id.split('--')[0]!,
    id,
    nom,
    date_maj: '2025-11-03',
    description: null,
    lien_source: `https://dora.inclusion.beta.gouv.fr/structures/${id}`,
    siret: '77568874100016',
    commune,
    code_postal: `${codeInsee.slice(0, 2)}000`,
    code_insee: codeInsee,
    adresse: '1 rue de la Paix',
    complement_adresse: null,
    longitude: -1.55,
    latitude: 47.21,
    telephone: '+33240000000',
    courriel: 'contact@example.org',
    site_web: null,
    horaires_accueil: 'Mo-Fr 09:00-17:00',
    accessibilite_lieu: null,
    reseaux_porteurs: ['cada'],
    score_qualite: 0.8,
    doublons: [],
    ...extra,
  };
}

export function fakeService(id: string, structureId: string, nom: string, thematiques: string[], codeInsee: string | null, extra: Partial<FakeService> = {}): FakeService {
  return {
    id,
    structure_id: structureId,
    source: id.split('--')[0]!,
    nom,
    description: `${nom} : description.`,
    date_maj: '2026-01-15',
    type: 'accompagnement',
    thematiques,
    frais: 'gratuit',
    frais_precisions: null,
    publics: ['personnes-exilees'],
    publics_precisions: null,
    conditions_acces: null,
    commune: codeInsee === '44109' ? 'Nantes' : codeInsee === '44184' ? 'Saint-Nazaire' : null,
    code_postal: codeInsee ? `${codeInsee.slice(0, 2)}000` : null,
    code_insee: codeInsee,
    adresse: null,
    complement_adresse: null,
    latitude: null,
    longitude: null,
    telephone: null,
    courriel: null,
    contact_nom_prenom: null,
    modes_accueil: ['en-presentiel'],
    zone_eligibilite: [codeInsee && /^\d{5}$/.test(codeInsee) ? codeInsee.slice(0, 2) : '44'],
    lien_mobilisation: null,
    modes_mobilisation: ['telephoner'],
    mobilisable_par: ['professionnels'],
    mobilisation_precisions: null,
    volume_horaire_hebdomadaire: null,
    nombre_semaines: null,
    horaires_accueil: null,
    lien_source: `https://dora.inclusion.beta.gouv.fr/services/${id}`,
    adresse_certifiee: false,
    score_qualite: 0.7,
    ...extra,
  };
}

/** Structures and services of Loire-Atlantique (and a few of Vendée, which a 44 query must not see). */
export function defaultStructures(): FakeStructure[] {
  return [
    fakeStructure('dora--s1', 'Association Accueil Nantes', '44109', 'Nantes'),
    fakeStructure('dora--s2', 'CADA de Saint-Nazaire', '44184', 'Saint-Nazaire'),
    fakeStructure('soliguide--s3', 'Maison des solidarités', '44109', 'Nantes', { lien_source: null }),
    fakeStructure('dora--s9', 'Structure vendéenne', '85191', 'La Roche-sur-Yon'),
  ];
}

export function defaultServices(): FakeService[] {
  return [
    fakeService('dora--svc1', 'dora--s1', 'Atelier FLE', ['lecture-ecriture-calcul--maitriser-le-francais'], '44109'),
    fakeService('dora--svc2', 'dora--s1', 'Aide à la recherche de logement', ['logement-hebergement--louer-un-logement', 'logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement'], '44109'),
    fakeService('dora--svc3', 'dora--s2', 'Accompagnement vers l\'emploi', ['trouver-un-emploi--repondre-a-des-offres-demploi'], '44184'),
    fakeService('dora--svc4', 'dora--s2', 'Accès aux droits', ['difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits'], '44184', { lien_source: null }),
    fakeService('soliguide--svc5', 'soliguide--s3', 'Permanence santé', ['sante--acces-aux-soins'], 'inconnue', { lien_source: null, date_maj: '2026-02-01T10:00:00Z' }),
    fakeService('dora--svc6', 'dora--s1', 'Cours de français du soir', ['lecture-ecriture-calcul--maitriser-le-francais'], null),
    fakeService('dora--svc7', 'dora--s2', 'Atelier numérique', ['numerique--maitriser-les-fondamentaux-du-numerique'], '44184'),
    fakeService('dora--svc8', 'dora--s1', 'Épicerie solidaire', ['equipement-et-alimentation--alimentation'], '44109', { publics: ['tous-publics'] }),
    fakeService('dora--svc9', 'dora--s9', 'Atelier FLE (Vendée)', ['lecture-ecriture-calcul--maitriser-le-francais'], '85191'),
  ];
}

export class DataInclusionFake extends FakeHttpServer {
  structures: FakeStructure[] = defaultStructures();
  services: FakeService[] = defaultServices();

  constructor() {
    super('data·inclusion', () => ({ items: [{ id: 12, nom: null }], total: 1, page: 1, size: 1, pages: 1 }));
    this.route('services', 'GET', '/api/v1/services', (request) => this.list(request, this.services, true));
    this.route('structures', 'GET', '/api/v1/structures', (request) => this.list(request, this.structures, false));
  }

  get apiUrl(): string {
    return `${this.url}/api/v1`;
  }

  override reset(): void {
    super.reset();
    this.structures = defaultStructures();
    this.services = defaultServices();
  }

  private list(request: FakeRequest, items: (FakeService | FakeStructure)[], filterServices: boolean): FakeResponse {
    const token = bearer(request);
    if (!token) return { status: 401, json: { detail: 'Not authenticated' } };
    if (token !== FAKE_DATA_INCLUSION_TOKEN) return { status: 401, json: { detail: 'Could not validate credentials' } };
    const departement = request.query.get('code_departement');
    if (departement !== null && !DEPARTEMENTS.has(departement)) return { status: 422, json: { detail: 'This `code_departement` does not exist.' } };
    const page = Number(request.query.get('page') ?? '1');
    const size = Number(request.query.get('size') ?? '5000');
    if (!Number.isInteger(page) || page < 1) return unprocessable('page', 'Input should be greater than or equal to 1');
    if (!Number.isInteger(size) || size < 1 || size > 10_000) return unprocessable('size', 'Input should be less than or equal to 10000');

    const thematiques = request.query.getAll('thematiques');
    const publics = request.query.getAll('publics');
    const matching = items.filter((item) => {
      if (departement !== null && departementDe(item) !== departement) return false;
      if (!filterServices) return true;
      const service = item as FakeService;
      if (thematiques.length && !service.thematiques.some((t) => thematiques.some((wanted) => t === wanted || t.startsWith(`${wanted}--`)))) return false;
      if (publics.length && !service.publics.some((p) => publics.includes(p))) return false;
      return true;
    });
    return {
      status: 200,
      json: { items: matching.slice((page - 1) * size, page * size), total: matching.length, page, size, pages: Math.ceil(matching.length / size) },
    };
  }
}

/** The département of an item: from its INSEE code, else from its eligibility zone. */
function departementDe(item: FakeService | FakeStructure): string | null {
  if (item.code_insee && /^\d{5}$/.test(item.code_insee)) return item.code_insee.slice(0, 2);
  const zone = item.zone_eligibilite as string[] | undefined;
  return zone?.[0] ?? null;
}

function unprocessable(field: string, msg: string): FakeResponse {
  return { status: 422, json: { detail: [{ loc: ['query', field], msg, type: 'value_error' }] } };
}
