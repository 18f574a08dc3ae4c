import { FakeHttpServer, type FakeRequest, type FakeResponse } from './http-fake';

/**
 * A fake of Réfugiés.info's public `GET /dispositifs?locale=fr&type=dispositif|demarche`
 * (external-apis.md §3): every active item at once, wrapped as `{"text":"success","data":[…]}`,
 * no pagination and no geographic filter; 422 `{"message":"Validation Failed","data":{…}}` when
 * `locale` is missing or a parameter is invalid. The route is named `dispositifs`.
 */

export interface FakeDispositif {
  _id: string;
  titreInformatif: string;
  typeContenu: 'dispositif' | 'demarche';
  metadatas: { location: 'france' | 'online' | string[]; [key: string]: unknown };
  [key: string]: unknown;
}

const FRANCAIS = '6319f6b363ab2bbb162d7df5';
const LOGEMENT = '6319f6b363ab2bbb162d7e01';
const EMPLOI = '6319f6b363ab2bbb162d7e02';

export function fakeDispositif(
  id: string,
  titre: string,
  location: FakeDispositif['metadatas']['location'],
  extra: Partial<FakeDispositif> = {},
): FakeDispositif {
  return {
    _id: id,
    titreInformatif: titre,
    titreMarque: null,
    abstract: `${titre} : résumé.`,
    typeContenu: 'dispositif',
    status: 'Actif',
    theme: FRANCAIS,
    secondaryThemes: [],
    needs: [],
    created_at: '2024-01-10T10:00:00.000Z',
    publishedAt: '2024-01-12T10:00:00.000Z',
    lastModificationDate: '2025-12-01T08:00:00.000Z',
    nbMots: 820,
    nbVues: 1200,
    nbVuesMobile: 300,
    sponsor: { nom: 'Association partenaire', picture: { secure_url: 'https://example.org/logo.png' } },
    availableLanguages: ['fr', 'en', 'ps'],
    hasDraftVersion: false,
    themeSortIndex: 1,
    metadatas: { location, frenchLevel: ['A1', 'A2'], publicStatus: ['refugie', 'subsidiaire'], conditions: ['cir'], public: 'refugee' },
    ...extra,
  };
}

export function defaultDispositifs(): FakeDispositif[] {
  return [
    fakeDispositif('65a000000000000000000001', 'Apprendre le français à Nantes', ['44 - Loire-Atlantique'], { titreMarque: 'Français pour tous', sponsor: { nom: 'Ville de Nantes' } }),
    fakeDispositif('65a000000000000000000002', 'Trouver un logement en Pays de la Loire', ['44 - Loire-Atlantique', '85 - Vendée'], { theme: LOGEMENT, secondaryThemes: [EMPLOI] }),
    fakeDispositif('65a000000000000000000003', 'Programme national', 'france'),
    fakeDispositif('65a000000000000000000004', 'Cours en ligne', 'online'),
    fakeDispositif('65a000000000000000000005', 'Accompagnement en Gironde', ['33 - Gironde']),
    fakeDispositif('65a000000000000000000006', 'Ouvrir un compte bancaire', ['44 - Loire-Atlantique'], { typeContenu: 'demarche' }),
  ];
}

export class RefugiesInfoFake extends FakeHttpServer {
  dispositifs: FakeDispositif[] = defaultDispositifs();

  constructor() {
    super('Réfugiés.info', () => ({ text: 'success', data: [{ _id: 7, titreInformatif: ['pas', 'un', 'titre'] }] }));
    this.route('dispositifs', 'GET', '/dispositifs', (request) => this.list(request));
  }

  override reset(): void {
    super.reset();
    this.dispositifs = defaultDispositifs();
  }

  private list(request: FakeRequest): FakeResponse {
    const locale = request.query.get('locale');
    if (!locale) return { status: 422, json: { message: 'Validation Failed', data: { locale: { message: "'locale' is required" } } } };
    const type = request.query.get('type');
    if (type !== null && type !== 'dispositif' && type !== 'demarche') {
      return { status: 422, json: { message: 'Validation Failed', data: { type: { message: "should be one of the following; ['dispositif','demarche']", value: type } } } };
    }
    return { status: 200, json: { text: 'success', data: this.dispositifs.filter((d) => type === null || d.typeContenu === type) } };
  }
}
