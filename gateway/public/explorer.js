/* AGIR GraphQL explorer: GraphiQL, React and ReactDOM served by the gateway (no CDN). The token
 * goes in GraphiQL's header editor ("Headers" tab): {"Authorization": "Bearer <token>"}; the
 * dashboard's or the console's token (this tab's sessionStorage) is filled in when there is one.
 * The default tab says so in French, above an example query of the README. Headers are not
 * persisted. Introspection answers only in development (npm start), so elsewhere the docs and
 * completion stay empty while queries still run. */
(function () {
  'use strict';
  // The README's first example (its curl request), then where to go next. A query whose fields may
  // be refused answers its errors first, which would push the data out of sight of a first try.
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
    '# Exemple du README : le nombre de parcours que vous pouvez voir. Ajoutez ensuite, par exemple,',
    '#   edges { node { id statut beneficiaire { nom prenom } situationLogement { categorie } situationProfessionnelle { categorie } } }',
    '# pour la vue unifiée des trois domaines (README, « The unified view »).',
    'query {',
    '  parcoursListe(first: 3) {',
    '    totalCount',
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
