/* AGIR dashboard: reads the public GraphQL API (/graphql) with the user's token and draws the
 * indicators with Chart.js (served by the gateway from node_modules). No build step, no inline
 * script (the page runs under a strict Content-Security-Policy). The token stays in this tab's
 * sessionStorage. */
(function () {
  'use strict';

  var TOKEN_KEY = 'agir.token';
  var OBJECTIF = 60; // % of the BPI reaching housing / employment or training (seed 000)
  var CIBLES = { diagnostic: 30, contrat: 21 }; // days: diagnostic within a month of the CIR, contract within three weeks of the commission

  // A stage counts the parcours whose current statut is at that stage or beyond it.
  var APRES_DIAGNOSTIC = ['DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE', 'REFUS_CONTRACTUALISATION'];
  var SIGNATAIRES = ['CONTRACTUALISE', 'SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS', 'EXCLU', 'FIN_DE_DROITS'];
  var SORTIS = ['SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS', 'CLOS'];
  var ETAPES = [
    { alias: 'orientes', libelle: 'Orientés', statuts: null },
    { alias: 'diagnostiques', libelle: 'Diagnostiqués', statuts: APRES_DIAGNOSTIC.concat(SIGNATAIRES) },
    { alias: 'signataires', libelle: 'Signataires', statuts: SIGNATAIRES },
    { alias: 'accompagnes', libelle: 'En accompagnement', statuts: ['CONTRACTUALISE'] },
    { alias: 'sortis', libelle: 'Sortis', statuts: SORTIS },
  ];
  var LOGEMENT = {
    SANS_ABRI_HEBERGEMENT_PRECAIRE: 'Sans abri / précaire',
    DNA: 'DNA',
    HEBERGEMENT_TEMPORAIRE: 'Hébergement temporaire',
    LOGEMENT_ACCOMPAGNE_ADAPTE: 'Logement accompagné',
    LOGEMENT_AUTONOME: 'Logement autonome',
  };
  var BLEU = '#000091';
  var ROUGE = '#ce0500';
  var VERT = '#18753c';
  var ORANGE = '#fc5d00';
  var GRIS = '#929292';

  var charts = {};
  var $ = function (id) { return document.getElementById(id); };

  // ---------------------------------------------------------------- GraphQL

  function GraphQLError(message) { this.name = 'GraphQLError'; this.message = message; }
  GraphQLError.prototype = Object.create(Error.prototype);

  async function graphql(query, variables) {
    var token = sessionStorage.getItem(TOKEN_KEY);
    var response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: query, variables: variables }),
    });
    var body;
    try { body = await response.json(); } catch (e) { throw new GraphQLError('Réponse illisible de la passerelle (HTTP ' + response.status + ').'); }
    if (response.status === 401) throw new GraphQLError('Jeton refusé : ' + messages(body) + ' Collez un jeton valide (npm run -s token -- --role COORDINATION).');
    if (!body.data) throw new GraphQLError(messages(body) || 'HTTP ' + response.status);
    return body;
  }

  function messages(body) {
    return (body && body.errors || []).map(function (e) {
      var code = e.extensions && e.extensions.code;
      return e.message + (code ? ' (' + code + ')' : '');
    }).join(' ; ');
  }

  function etapesQuery() {
    var fields = ETAPES.map(function (e) {
      var filtre = 'departement: $dep' + (e.statuts ? ', statut: [' + e.statuts.join(', ') + ']' : '');
      return '  ' + e.alias + ': parcoursListe(first: 0, filtre: { ' + filtre + ' }) { totalCount }';
    });
    return 'query DashboardEtapes($dep: String!) {\n' + fields.join('\n') + '\n}';
  }

  var DROITS_LOGEMENT = 'query DashboardDroitsLogement($dep: String!, $du: Date!, $au: Date!) {\n' +
    '  indicateursDroitsLogement(departement: $dep, du: $du, au: $au) {\n' +
    '    accesLogement { numerateur denominateur taux }\n' +
    '    situationsEntree { categorie nombre }\n' +
    '    delaiOuvertureCaf { jours nombre }\n' +
    '  }\n}';
  var EMPLOI_FORMATION = 'query DashboardEmploiFormation($dep: String!, $du: Date!, $au: Date!) {\n' +
    '  indicateursEmploiFormation(departement: $dep, du: $du, au: $au) {\n' +
    '    parcoursSuivis\n' +
    '    accesEmploiFormation { numerateur denominateur taux objectif atteint }\n' +
    '  }\n}';
  // Dates and the site's commune only (no identity): for the delays, the monthly series and the
  // table by commune, until the federated `indicateurs` query serves them as aggregates.
  var PARCOURS = 'query DashboardParcours($dep: String!, $after: String) {\n' +
    '  parcoursListe(first: 40, after: $after, filtre: { departement: $dep }) {\n' +
    '    pageInfo { hasNextPage endCursor }\n' +
    '    edges { node { statut dateOrientation dateSignatureCir dateDiagnostic dateCommission dateContrat dateSortie site { commune { nom } } } }\n' +
    '  }\n}';
  var MAX_PAGES = 100; // 40 rows a page (the gateway's cost limit): up to 4000 parcours

  async function chargerParcours(dep) {
    var rows = [];
    var after = null;
    for (var page = 0; page < MAX_PAGES; page++) {
      var body = await graphql(PARCOURS, { dep: dep, after: after });
      var conn = body.data.parcoursListe;
      conn.edges.forEach(function (e) { rows.push(e.node); });
      if (!conn.pageInfo.hasNextPage) return { rows: rows, complet: true };
      after = conn.pageInfo.endCursor;
    }
    return { rows: rows, complet: false };
  }

  /** One settled result per source: a domain that fails costs its own charts only. */
  async function charger(dep, du, au) {
    var results = await Promise.allSettled([
      graphql(etapesQuery(), { dep: dep }),
      graphql(DROITS_LOGEMENT, { dep: dep, du: du, au: au }),
      graphql(EMPLOI_FORMATION, { dep: dep, du: du, au: au }),
      chargerParcours(dep),
    ]);
    return {
      etapes: results[0],
      droitsLogement: results[1],
      emploiFormation: results[2],
      parcours: results[3],
    };
  }

  // ---------------------------------------------------------------- computations

  function jours(a, b) { return Math.round((Date.parse(b) - Date.parse(a)) / 86400000); }
  function dansPeriode(d, du, au) { return d != null && d >= du && d <= au; }
  function mediane(values) {
    if (!values.length) return null;
    var s = values.slice().sort(function (x, y) { return x - y; });
    var m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
  function delai(rows, du, au, depuis, jusque, cible) {
    var values = rows.filter(function (r) { return r[depuis] && dansPeriode(r[jusque], du, au); })
      .map(function (r) { return jours(r[depuis], r[jusque]); });
    var dansCible = values.filter(function (v) { return v <= cible; }).length;
    return { mediane: mediane(values), numerateur: dansCible, denominateur: values.length, cible: cible };
  }
  function mois(du, au) {
    var out = [];
    var y = Number(du.slice(0, 4));
    var m = Number(du.slice(5, 7));
    var fin = au.slice(0, 7);
    for (;;) {
      var key = y + '-' + String(m).padStart(2, '0');
      if (key > fin) return out;
      out.push(key);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
  }
  function parMois(rows, du, au, champ, keys) {
    var counts = Object.fromEntries(keys.map(function (k) { return [k, 0]; }));
    rows.forEach(function (r) { if (dansPeriode(r[champ], du, au)) counts[r[champ].slice(0, 7)] += 1; });
    return keys.map(function (k) { return counts[k]; });
  }
  function pct(n, d) { return d ? Math.round((1000 * n) / d) / 10 : null; }

  // ---------------------------------------------------------------- drawing

  function dessiner(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new Chart($(id), config);
  }

  function afficherEtapes(data) {
    dessiner('chart-etapes', {
      type: 'bar',
      data: {
        labels: ETAPES.map(function (e) { return e.libelle; }),
        datasets: [{ label: 'Parcours', data: ETAPES.map(function (e) { return data[e.alias].totalCount; }), backgroundColor: BLEU }],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function afficherDelais(diag, contrat, caf) {
    var labels = ['CIR → diagnostic', 'Commission → contrat', 'Ouverture des droits CAF'];
    var medianes = [diag.mediane, contrat.mediane, caf ? caf.jours : null];
    dessiner('chart-delais', {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [
          { label: 'Délai médian (jours)', data: medianes, backgroundColor: medianes.map(function (v, i) { var c = [diag.cible, contrat.cible][i]; return c != null && v != null && v > c ? ROUGE : BLEU; }) },
          { label: 'Cible (jours)', data: [diag.cible, contrat.cible, null], backgroundColor: GRIS },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'jours' } } } },
    });
    $('note-delais').textContent =
      'Dans la cible : diagnostic ' + part(diag) + ', contrat ' + part(contrat) +
      (caf ? ' ; droits CAF ouverts dans la période : ' + caf.nombre : '') + '.';
  }
  function part(d) { return d.numerateur + '/' + d.denominateur + (d.denominateur ? ' (' + pct(d.numerateur, d.denominateur) + ' %)' : ''); }

  function afficherResultats(logement, emploi) {
    var labels = ['Accès au logement', 'Accès emploi ou formation'];
    var taux = [logement ? pct(logement.numerateur, logement.denominateur) : null, emploi ? pct(emploi.numerateur, emploi.denominateur) : null];
    dessiner('chart-resultats', {
      data: {
        labels: labels,
        datasets: [
          { type: 'bar', label: 'Taux (%)', data: taux, backgroundColor: taux.map(function (t) { return t != null && t >= OBJECTIF ? VERT : ORANGE; }), order: 2 },
          { type: 'line', label: 'Objectif 60 %', data: [OBJECTIF, OBJECTIF], borderColor: ROUGE, borderDash: [6, 4], pointRadius: 0, order: 1 },
        ],
      },
      options: { scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: '%' } } } },
    });
    $('note-resultats').textContent = [
      logement ? 'Logement : ' + logement.numerateur + '/' + logement.denominateur : 'Logement : indisponible',
      emploi ? 'Emploi-formation : ' + emploi.numerateur + '/' + emploi.denominateur : 'Emploi-formation : indisponible',
    ].join(' · ');
  }

  function afficherLogementEntree(situations) {
    dessiner('chart-logement-entree', {
      type: 'bar',
      data: {
        labels: situations.map(function (s) { return LOGEMENT[s.categorie] || s.categorie; }),
        datasets: [{ label: 'Personnes', data: situations.map(function (s) { return s.nombre; }), backgroundColor: BLEU }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function afficherMois(rows, du, au) {
    var keys = mois(du, au);
    dessiner('chart-mois', {
      type: 'line',
      data: {
        labels: keys,
        datasets: [
          { label: 'Orientations', data: parMois(rows, du, au, 'dateOrientation', keys), borderColor: BLEU, backgroundColor: BLEU },
          { label: 'Contrats signés', data: parMois(rows, du, au, 'dateContrat', keys), borderColor: VERT, backgroundColor: VERT },
          { label: 'Sorties', data: parMois(rows, du, au, 'dateSortie', keys), borderColor: ORANGE, backgroundColor: ORANGE },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function afficherCommunes(rows, du, au) {
    var parCommune = {};
    rows.forEach(function (r) {
      var nom = (r.site && r.site.commune && r.site.commune.nom) || '(commune inconnue)';
      var c = parCommune[nom] || (parCommune[nom] = { orientes: 0, signataires: 0, accompagnes: 0, sortis: 0 });
      if (dansPeriode(r.dateOrientation, du, au)) c.orientes += 1;
      if (dansPeriode(r.dateContrat, du, au)) c.signataires += 1;
      if (r.statut === 'CONTRACTUALISE') c.accompagnes += 1;
      if (dansPeriode(r.dateSortie, du, au)) c.sortis += 1;
    });
    var tbody = $('table-communes').querySelector('tbody');
    tbody.replaceChildren();
    Object.keys(parCommune).sort(function (a, b) { return a.localeCompare(b, 'fr'); }).forEach(function (nom) {
      var c = parCommune[nom];
      var tr = document.createElement('tr');
      [nom, c.orientes, c.signataires, c.accompagnes, c.sortis].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = String(v);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  // ---------------------------------------------------------------- page

  function montrer(id, texte) {
    var el = $(id);
    el.textContent = texte || '';
    el.hidden = !texte;
  }

  async function afficher() {
    var dep = $('departement').value;
    var du = $('du').value;
    var au = $('au').value;
    montrer('erreur', '');
    montrer('avertissement', '');
    if (!sessionStorage.getItem(TOKEN_KEY)) { montrer('erreur', 'Collez votre jeton (npm run -s token -- --role COORDINATION).'); document.body.dataset.etat = 'erreur'; return; }
    if (!du || !au || du > au) { montrer('erreur', 'Choisissez une période : « du » au plus tard « au ».'); document.body.dataset.etat = 'erreur'; return; }
    document.body.dataset.etat = 'chargement';
    $('chargement').hidden = false;
    $('titre-periode').textContent = '· ' + dep + ' · du ' + du + ' au ' + au;
    history.replaceState(null, '', '?' + new URLSearchParams({ departement: dep, du: du, au: au }));
    var r = await charger(dep, du, au);
    $('chargement').hidden = true;
    var erreurs = [];
    var avertissements = [];
    function ok(result, source) {
      if (result.status === 'rejected') { erreurs.push(source + ' : ' + result.reason.message); return null; }
      if (result.value.errors) avertissements.push(source + ' : ' + messages(result.value));
      return result.value.data || result.value;
    }
    var etapes = ok(r.etapes, 'Étapes');
    var dl = ok(r.droitsLogement, 'Droits & Logement');
    var ef = ok(r.emploiFormation, 'Emploi & Formation');
    var parcours = ok(r.parcours, 'Parcours');
    var idl = dl && dl.indicateursDroitsLogement;
    var ief = ef && ef.indicateursEmploiFormation;
    if (etapes) afficherEtapes(etapes);
    if (parcours) {
      if (!parcours.complet) avertissements.push('Parcours : seules les ' + parcours.rows.length + ' premières lignes sont comptées.');
      afficherDelais(delai(parcours.rows, du, au, 'dateSignatureCir', 'dateDiagnostic', CIBLES.diagnostic), delai(parcours.rows, du, au, 'dateCommission', 'dateContrat', CIBLES.contrat), idl && idl.delaiOuvertureCaf);
      afficherMois(parcours.rows, du, au);
      afficherCommunes(parcours.rows, du, au);
    }
    if (idl || ief) afficherResultats(idl && idl.accesLogement, ief && ief.accesEmploiFormation);
    if (idl) afficherLogementEntree(idl.situationsEntree);
    montrer('erreur', erreurs.join('\n'));
    montrer('avertissement', avertissements.join('\n'));
    document.body.dataset.etat = erreurs.length ? 'erreur' : 'pret';
  }

  function isoDate(d) { return d.toISOString().slice(0, 10); }

  function init() {
    var params = new URLSearchParams(location.search);
    var today = new Date();
    var yearAgo = new Date(today.getFullYear() - 1, today.getMonth(), 1, 12);
    $('departement').value = params.get('departement') === '85' ? '85' : '44';
    $('du').value = params.get('du') || isoDate(yearAgo);
    $('au').value = params.get('au') || isoDate(today);
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) $('token').value = token;
    $('filtres').addEventListener('submit', function (event) {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('token').value.trim().replace(/^Bearer\s+/i, ''));
      afficher().catch(function (e) { montrer('erreur', e.message); document.body.dataset.etat = 'erreur'; });
    });
    $('oublier').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      $('token').value = '';
    });
    if (typeof Chart === 'undefined') { montrer('erreur', 'Chart.js ne s\'est pas chargé (/vendor/chart.umd.min.js).'); document.body.dataset.etat = 'erreur'; return; }
    if (token) afficher().catch(function (e) { montrer('erreur', e.message); document.body.dataset.etat = 'erreur'; });
  }

  document.addEventListener('DOMContentLoaded', init);
})();
