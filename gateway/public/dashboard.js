/* AGIR dashboard: reads the public GraphQL API (/graphql) with the user's token and draws the
 * indicators with Chart.js (served by the gateway from node_modules). No build step, no inline
 * script (the page runs under a strict Content-Security-Policy). The token stays in this tab's
 * sessionStorage. */
(function () {
  'use strict';

  var TOKEN_KEY = 'agir.token';
  var OBJECTIF = 60; // % of the BPI reaching housing / employment or training (seed 000)
  var CIBLES = { diagnostic: 30, contrat: 21 }; // days: diagnostic within a month of the orientation, contract within three weeks of the commission
  var LOGEMENT = {
    SANS_ABRI_HEBERGEMENT_PRECAIRE: 'Sans abri / précaire',
    DNA: 'DNA',
    HEBERGEMENT_TEMPORAIRE: 'Hébergement temporaire',
    LOGEMENT_ACCOMPAGNE_ADAPTE: 'Logement accompagné',
    LOGEMENT_AUTONOME: 'Logement autonome',
  };
  var CANAUX = { OFII: 'OFII', FICHE_LIAISON: 'Fiche de liaison', PREFET: 'Préfet' };
  var TRANCHES = { AGE_16_17: '16-17', AGE_18_25: '18-25', AGE_26_35: '26-35', AGE_36_45: '36-45', AGE_46_55: '46-55', AGE_56_PLUS: '56 et +' };
  var NIVEAUX = {
    NON_SCOLARISE: 'Non scolarisé', PRIMAIRE: 'Primaire', SECONDAIRE_SANS_DIPLOME: 'Secondaire sans diplôme', SECONDAIRE_DIPLOME: 'Secondaire diplômé',
    SUPERIEUR_BAC_2: 'Bac+2', SUPERIEUR_BAC_3: 'Bac+3', SUPERIEUR_BAC_5_ET_PLUS: 'Bac+5 et plus',
  };
  var BLEU = '#000091';
  var ROUGE = '#ce0500';
  var VERT = '#18753c';
  var ORANGE = '#fc5d00';
  var GRIS = '#929292';
  var VIOLET = '#6e445a';

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

  // One federated query: Coordination's counts, delays, series and profile, and each domain's own
  // fields of the same entity. A domain that fails costs its own fields only (null, with an error).
  var INDICATEURS = 'query Dashboard($dep: String!, $du: Date!, $au: Date!) {\n' +
    '  indicateurs(departement: $dep, du: $du, au: $au) {\n' +
    '    effectifs { orientes diagnostiques signataires enAccompagnementFin masque }\n' +
    '    orientationsParCanal { canal nombre }\n' +
    '    sortiesParMotif { motif nombre }\n' +
    '    delaiDiagnostic { nombre medianeJours percentile90Jours dansLaCible { numerateur denominateur taux } }\n' +
    '    delaiContractualisation { nombre medianeJours percentile90Jours dansLaCible { numerateur denominateur taux } }\n' +
    '    parMois { mois orientes signataires sorties }\n' +
    '    profil { population ageMoyen stockFin entrees sorties parSituationFamiliale { situation nombre } parSexe { sexe nombre }\n' +
    '      parTrancheAge { tranche nombre } parCommuneResidence { commune { codeInsee nom } nombre } masque }\n' +
    '    droitsLogement { accesLogement { numerateur denominateur taux } situationsEntree { categorie nombre } delaiOuvertureCaf { jours nombre } }\n' +
    '    emploiFormation { accesEmploiFormation { numerateur denominateur taux objectif atteint } }\n' +
    '    emploiFormationParMois { mois contratsCommences }\n' +
    '    profilFormation { diagnostiquees parNiveau { niveau nombre } }\n' +
    '  }\n}';

  function pct(n, d) { return d ? Math.round((1000 * n) / d) / 10 : null; }
  function taux(t) { return t && t.taux != null ? Math.round(1000 * t.taux) / 10 : null; }
  function nombre(v) { return v == null ? 'masqué' : String(v); }
  function somme(values) { return values.some(function (v) { return v == null; }) ? null : values.reduce(function (a, b) { return a + b; }, 0); }

  // ---------------------------------------------------------------- drawing

  function dessiner(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts[id] = new Chart($(id), config);
  }

  function barres(id, labels, data, options) {
    dessiner(id, {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: 'Personnes', data: data, backgroundColor: (options && options.couleur) || BLEU }] },
      options: Object.assign({ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, options && options.chart),
    });
  }

  function afficherEtapes(i) {
    var sorties = somme(i.sortiesParMotif.filter(function (m) { return m.motif === 'SORTIE'; }).map(function (m) { return m.nombre; }));
    var e = i.effectifs;
    barres('chart-etapes', ['Orientés', 'Diagnostiqués', 'Signataires', 'En accompagnement', 'Sortis'],
      [e.orientes, e.diagnostiques, e.signataires, e.enAccompagnementFin, sorties],
      { chart: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } });
    $('note-etapes').textContent = 'Orientés, diagnostiqués et signataires de la période ; en accompagnement le dernier jour ; sorties de la période.' +
      (e.masque ? ' Les effectifs de moins de 5 personnes sont masqués (secret statistique).' : '');
  }

  function afficherCanaux(i) {
    barres('chart-canaux', i.orientationsParCanal.map(function (c) { return CANAUX[c.canal] || c.canal; }), i.orientationsParCanal.map(function (c) { return c.nombre; }), { couleur: VIOLET });
  }

  function afficherDelais(i, caf) {
    var d = i.delaiDiagnostic;
    var c = i.delaiContractualisation;
    var medianes = [d.medianeJours, c.medianeJours, caf ? caf.jours : null];
    dessiner('chart-delais', {
      type: 'bar',
      data: {
        labels: ['Orientation → diagnostic', 'Commission → contrat', 'Ouverture des droits CAF'],
        datasets: [
          { label: 'Délai médian (jours)', data: medianes, backgroundColor: medianes.map(function (v, k) { var cible = [CIBLES.diagnostic, CIBLES.contrat][k]; return cible != null && v != null && v > cible ? ROUGE : BLEU; }) },
          { label: '90e percentile (jours)', data: [d.percentile90Jours, c.percentile90Jours, null], backgroundColor: ORANGE },
          { label: 'Cible (jours)', data: [CIBLES.diagnostic, CIBLES.contrat, null], backgroundColor: GRIS },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'jours' } } } },
    });
    $('note-delais').textContent = 'Dans la cible : diagnostic ' + part(d.dansLaCible) + ', contrat ' + part(c.dansLaCible) +
      (caf ? ' ; droits CAF ouverts dans la période : ' + nombre(caf.nombre) : '') + '.';
  }
  function part(t) {
    if (t.numerateur == null || t.denominateur == null) return 'masqué';
    return t.numerateur + '/' + t.denominateur + (t.denominateur ? ' (' + pct(t.numerateur, t.denominateur) + ' %)' : '');
  }

  function afficherResultats(logement, emploi) {
    var valeurs = [taux(logement), taux(emploi)];
    dessiner('chart-resultats', {
      data: {
        labels: ['Accès au logement', 'Accès emploi ou formation'],
        datasets: [
          { type: 'bar', label: 'Taux (%)', data: valeurs, backgroundColor: valeurs.map(function (t) { return t != null && t >= OBJECTIF ? VERT : ORANGE; }), order: 2 },
          { type: 'line', label: 'Objectif 60 %', data: [OBJECTIF, OBJECTIF], borderColor: ROUGE, borderDash: [6, 4], pointRadius: 0, order: 1 },
        ],
      },
      options: { scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: '%' } } } },
    });
    $('note-resultats').textContent = [
      logement ? 'Logement : ' + part(logement) : 'Logement : indisponible',
      emploi ? 'Emploi-formation : ' + part(emploi) : 'Emploi-formation : indisponible',
    ].join(' · ');
  }

  function afficherLogementEntree(situations) {
    barres('chart-logement-entree', situations.map(function (s) { return LOGEMENT[s.categorie] || s.categorie; }), situations.map(function (s) { return s.nombre; }));
  }

  function afficherProfil(p) {
    barres('chart-ages', p.parTrancheAge.map(function (t) { return t.tranche ? TRANCHES[t.tranche] : 'inconnu'; }), p.parTrancheAge.map(function (t) { return t.nombre; }), { couleur: VIOLET });
    var valeur = function (liste, cle, v) { var x = liste.filter(function (l) { return l[cle] === v; })[0]; return nombre(x && x.nombre); };
    $('note-profil').textContent = nombre(p.population) + ' personnes en parcours dans la période, âge moyen ' + (p.ageMoyen == null ? 'masqué' : p.ageMoyen + ' ans') +
      ' ; familles ' + valeur(p.parSituationFamiliale, 'situation', 'FAMILLE') + ', personnes isolées ' + valeur(p.parSituationFamiliale, 'situation', 'ISOLE') +
      ' ; femmes ' + valeur(p.parSexe, 'sexe', 'FEMME') + ', hommes ' + valeur(p.parSexe, 'sexe', 'HOMME') + '.';
  }

  function afficherFormation(f) {
    barres('chart-formation', f.parNiveau.map(function (n) { return NIVEAUX[n.niveau] || n.niveau; }), f.parNiveau.map(function (n) { return n.nombre; }), { couleur: VERT });
    $('note-formation').textContent = nombre(f.diagnostiquees) + ' personnes diagnostiquées par Emploi & Formation, par niveau de formation.';
  }

  function afficherMois(i) {
    var contrats = Object.fromEntries((i.emploiFormationParMois || []).map(function (m) { return [m.mois, m.contratsCommences]; }));
    dessiner('chart-mois', {
      type: 'line',
      data: {
        labels: i.parMois.map(function (m) { return m.mois; }),
        datasets: [
          { label: 'Orientations', data: i.parMois.map(function (m) { return m.orientes; }), borderColor: BLEU, backgroundColor: BLEU },
          { label: 'Contrats d\'engagement', data: i.parMois.map(function (m) { return m.signataires; }), borderColor: VERT, backgroundColor: VERT },
          { label: 'Sorties', data: i.parMois.map(function (m) { return m.sorties; }), borderColor: ORANGE, backgroundColor: ORANGE },
          { label: 'Contrats de travail', data: i.parMois.map(function (m) { return m.mois in contrats ? contrats[m.mois] : null; }), borderColor: VIOLET, backgroundColor: VIOLET },
        ],
      },
      options: { spanGaps: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  var COMMUNES_AFFICHEES = 15;

  /** The communes with the most people, then one row for the others (and the unknown or grouped ones). */
  function afficherCommunes(p) {
    var tbody = $('table-communes').querySelector('tbody');
    tbody.replaceChildren();
    var connues = p.parCommuneResidence.filter(function (c) { return c.commune; });
    var lignes = connues.slice(0, COMMUNES_AFFICHEES).map(function (c) { return [c.commune.nom, c.commune.codeInsee, c.nombre]; });
    var reste = connues.slice(COMMUNES_AFFICHEES).concat(p.parCommuneResidence.filter(function (c) { return !c.commune; }));
    if (reste.length) {
      var communes = reste.filter(function (c) { return c.commune; }).length;
      lignes.push([communes ? 'Autres communes (' + communes + ') ou non renseignée' : 'Autres communes ou non renseignée', '', somme(reste.map(function (c) { return c.nombre; }))]);
    }
    lignes.forEach(function (l) {
      var tr = document.createElement('tr');
      [l[0], l[1], nombre(l[2]), l[2] != null && p.population ? pct(l[2], p.population) + ' %' : ''].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = String(v);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  // ---------------------------------------------------------------- what to handle (the console's lists)

  var REGLES = [
    ['DIAGNOSTIC', 'Diagnostics'], ['CONTRACTUALISATION', 'Contrats d\'engagement'], ['EVALUATION_MI_PARCOURS', 'Évaluations à mi-parcours'],
    ['FIN_ACCOMPAGNEMENT', 'Fins d\'accompagnement'], ['SUIVI_3_MOIS', 'Suivis à 3 mois'], ['SUIVI_6_MOIS', 'Suivis à 6 mois'],
    ['BINOME_NON_DESIGNE', 'Binômes non désignés'], ['SANS_ACTIVITE', 'Parcours sans activité'], ['EXCLUSION_POSSIBLE', 'Exclusions possibles (deux refus de logement)'],
  ];
  var NIVEAUX = [['EN_RETARD', 'en retard'], ['BIENTOT', 'bientôt']];
  /** The roles that see people, hence the console's lists behind the counts. */
  var ROLES_PERSONNES = ['COORDINATION', 'REFERENT_DROITS_LOGEMENT', 'REFERENT_EMPLOI_FORMATION'];

  function rolesDuJeton() {
    try {
      var part = sessionStorage.getItem(TOKEN_KEY).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part)).roles || [];
    } catch (e) { return []; }
  }

  /**
   * The parcours in alert, by rule and level, each count a link to the console's list of them.
   * Only for the roles that may see people: the others do not get the card (nor the query).
   */
  async function afficherATraiter(dep, au) {
    var carte = $('carte-a-traiter');
    var tbody = $('table-a-traiter').querySelector('tbody');
    tbody.replaceChildren();
    var roles = rolesDuJeton();
    if (!ROLES_PERSONNES.some(function (r) { return roles.indexOf(r) !== -1; })) { carte.hidden = true; return []; }
    var today = isoDate(new Date());
    var jour = au > today ? today : au;
    var reponse = await graphql('query ATraiter($dep: String!, $jour: Date) { alertes(departement: $dep, date: $jour) { alertes { code niveau parcours { id } } } }', { dep: dep, jour: jour });
    if (!reponse.data.alertes) { carte.hidden = true; return [messages(reponse)]; }
    var comptes = {};
    reponse.data.alertes.alertes.forEach(function (a) {
      var cle = a.code + ' ' + a.niveau;
      comptes[cle] = comptes[cle] || {};
      comptes[cle][a.parcours.id] = true;
    });
    REGLES.forEach(function (r) {
      var tr = document.createElement('tr');
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = r[1];
      tr.appendChild(th);
      NIVEAUX.forEach(function (n) {
        var td = document.createElement('td');
        var nombre = Object.keys(comptes[r[0] + ' ' + n[0]] || {}).length;
        if (nombre) {
          var a = document.createElement('a');
          a.href = '/console?' + new URLSearchParams({ departement: dep, date: jour, regle: r[0], niveau: n[0] });
          a.textContent = String(nombre);
          a.setAttribute('aria-label', r[1] + ' ' + n[1] + ' : ' + nombre + ' parcours, voir la liste');
          a.dataset.regle = r[0];
          a.dataset.niveau = n[0];
          td.appendChild(a);
        } else td.textContent = '0';
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    $('jour-a-traiter').textContent = 'au ' + jour.slice(8, 10) + '/' + jour.slice(5, 7) + '/' + jour.slice(0, 4);
    carte.hidden = false;
    return [];
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
    var reponse;
    try {
      reponse = await graphql(INDICATEURS, { dep: dep, du: du, au: au });
    } finally {
      $('chargement').hidden = true;
    }
    var erreurs = [];
    var avertissements = [];
    if (reponse.errors) avertissements.push(messages(reponse));
    var i = reponse.data.indicateurs;
    if (!i) erreurs.push('Indicateurs indisponibles : ' + messages(reponse));
    else {
      afficherEtapes(i);
      afficherCanaux(i);
      afficherDelais(i, i.droitsLogement && i.droitsLogement.delaiOuvertureCaf);
      afficherResultats(i.droitsLogement && i.droitsLogement.accesLogement, i.emploiFormation && i.emploiFormation.accesEmploiFormation);
      if (i.droitsLogement) afficherLogementEntree(i.droitsLogement.situationsEntree);
      afficherProfil(i.profil);
      if (i.profilFormation) afficherFormation(i.profilFormation);
      afficherMois(i);
      afficherCommunes(i.profil);
    }
    avertissements = avertissements.concat(await afficherATraiter(dep, au));
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
