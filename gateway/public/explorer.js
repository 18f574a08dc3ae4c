/* AGIR GraphQL explorer: GraphiQL, React and ReactDOM served by the gateway (no CDN). The token
 * goes in GraphiQL's header editor ("Headers" tab): {"Authorization": "Bearer <token>"}; the
 * dashboard's or the console's token (this tab's sessionStorage) is filled in when there is one.
 * The default tab says so in French, above the README's example query. Headers are not
 * persisted. Introspection answers only in development (npm start), so elsewhere the docs and
 * completion stay empty while queries still run. */
(function () {
  'use strict';
  // The README's example of the unified view: one query, the three domains' fields of each parcours.
  var EXAMPLE = [
    '# AGIR · explorateur GraphQL',
    '#',
    '# Chaque requête a besoin d\'un jeton. Pour l\'obtenir (après un premier « npm start ») :',
    '#   npm run -s token -- --role COORDINATION',
    '# (ou REFERENT_DROITS_LOGEMENT, REFERENT_EMPLOI_FORMATION, OFII, ANALYSTE... ; --departement 44|85).',
    '# Collez-le dans l\'onglet « Headers » en bas de l\'éditeur, sous cette forme :',
    '#   { "Authorization": "Bearer <votre jeton>" }',
    '# Le jeton saisi dans le tableau de bord ou la console de cet onglet y est déjà recopié.',
    '# Puis exécutez la requête avec le bouton ▶ (ou Ctrl+Entrée).',
    '#',
    '# Exemple : la vue unifiée de parcours contractualisés de Loire-Atlantique, avec les champs',
    '# de Coordination, de Droits & Logement et d\'Emploi & Formation dans une seule requête.',
    'query VueUnifiee {',
    '  parcoursListe(first: 20, filtre: { departement: "44", statut: [CONTRACTUALISE] }) {',
    '    totalCount',
    '    pageInfo { hasNextPage endCursor }',
    '    edges { node {',
    '      id statut departement',
    '      beneficiaire { id nom prenom }',
    '      situationLogement { categorie }',
    '      demarchesDroits { type statut }',
    '      situationProfessionnelle { categorie }',
    '      langue { niveauCecrl }',
    '    } }',
    '  }',
    '}',
    '',
  ].join('\n');

  async function fetcher(params, options) {
    var headers = Object.assign({ 'content-type': 'application/json' }, (options && options.headers) || {});
    var response = await fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify(params) });
    return response.json();
  }

  function start() {
    var token = sessionStorage.getItem('agir.token');
    var headers = JSON.stringify({ Authorization: 'Bearer ' + (token || '<jeton>') }, null, 2);
    var root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: EXAMPLE,
      defaultHeaders: headers,
      headers: headers,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
    }));
  }

  document.addEventListener('DOMContentLoaded', start);
})();
