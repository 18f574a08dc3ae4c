/* AGIR GraphQL explorer: GraphiQL, React and ReactDOM served by the gateway (no CDN). The token
 * goes in GraphiQL's header editor ("Headers" tab): {"Authorization": "Bearer <token>"}; the
 * dashboard's token (this tab's sessionStorage) is filled in when there is one. Headers are not
 * persisted. Introspection answers only in development (npm start), so elsewhere the docs and
 * completion stay empty while queries still run. */
(function () {
  'use strict';
  var EXAMPLE = [
    '# AGIR : collez votre jeton dans l\'onglet « Headers » ci-dessous',
    '# (npm run -s token -- --role COORDINATION).',
    'query {',
    '  parcoursListe(first: 5, filtre: { departement: "44" }) {',
    '    totalCount',
    '    edges { node { id statut dateOrientation site { nom } } }',
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
