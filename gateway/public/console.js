/* AGIR console of the coordination and the referents: what to do (the alerts), the person search,
 * and one page per parcours with the actions the role may take. Like the dashboard: no build step,
 * no inline script (strict Content-Security-Policy), every datum read from /graphql with the token
 * the user pasted, kept in this tab's sessionStorage. Data is only ever written into the page as
 * text (textContent), never as HTML.
 *
 * Access is decided by the hub, field by field: a refused field answers null with a FORBIDDEN
 * error at its path, a domain that does not answer leaves its fields null with
 * SUBGRAPH_UNAVAILABLE. The page renders from those errors, so that a hidden or missing field is
 * shown as such ("masqué : pas de consentement", "Emploi & Formation indisponible"), never as an
 * empty one. */
(function () {
  'use strict';

  var TOKEN_KEY = 'agir.token';
  var $ = function (id) { return document.getElementById(id); };

  // ---------------------------------------------------------------- vocabulary

  var DOMAINES = { COORDINATION: 'Coordination', DROITS_LOGEMENT: 'Droits & Logement', EMPLOI_FORMATION: 'Emploi & Formation' };
  var SERVICE_DOMAINE = { coordination: 'COORDINATION', 'droits-logement': 'DROITS_LOGEMENT', 'emploi-formation': 'EMPLOI_FORMATION' };
  var STATUTS = {
    ORIENTE: 'Orienté', CONVOQUE: 'Convoqué', DIAGNOSTIC_REALISE: 'Diagnostic réalisé', COMMISSION_REALISEE: 'Commission réalisée',
    CONTRACTUALISE: 'Contractualisé', SORTI: 'Sorti', SUIVI_3_MOIS: 'Suivi à 3 mois fait', SUIVI_6_MOIS: 'Suivi à 6 mois fait', CLOS: 'Clos',
    REFUS_CONTRACTUALISATION: 'Refus du contrat', ABANDON: 'Abandon', EXCLU: 'Exclu', FIN_DE_DROITS: 'Fin de droits',
  };
  var REGLES = {
    DIAGNOSTIC: 'Diagnostic', CONTRACTUALISATION: 'Contrat d\'engagement', EVALUATION_MI_PARCOURS: 'Évaluation à mi-parcours',
    FIN_ACCOMPAGNEMENT: 'Fin d\'accompagnement', SUIVI_3_MOIS: 'Suivi à 3 mois', SUIVI_6_MOIS: 'Suivi à 6 mois',
    BINOME_NON_DESIGNE: 'Binôme non désigné', SANS_ACTIVITE: 'Parcours sans activité', EXCLUSION_POSSIBLE: 'Exclusion possible (deux refus de logement)',
  };
  var ORDRE_REGLES = Object.keys(REGLES);
  var NIVEAUX = { EN_RETARD: 'En retard', BIENTOT: 'Bientôt' };
  var ETATS_ECHEANCE = { RESPECTEE: 'Tenue', NON_RESPECTEE: 'Non tenue', A_VENIR: 'À venir', EN_RETARD: 'En retard' };
  var STATUTS_CRITERE = { REMPLI: 'Rempli', NON_REMPLI: 'Non rempli', INCONNU: 'Inconnu' };
  var CRITERES = { LOGEMENT: 'Logement', SITUATION_PROFESSIONNELLE: 'Situation professionnelle' };
  var CORRESPONDANCES = { NOM: 'nom', DATE_NAISSANCE: 'date de naissance', NUMERO_DOSSIER_OFII: 'numéro de dossier OFII' };
  var ACTIONS_LIBELLES = {
    ORIENTER: 'Orienter', CONVOQUER: 'Convoquer au diagnostic', REALISER_DIAGNOSTIC: 'Enregistrer le diagnostic', TENIR_COMMISSION: 'Tenir la commission',
    CONTRACTUALISER: 'Enregistrer le contrat', SORTIR: 'Enregistrer la sortie', REALISER_SUIVI_3_MOIS: 'Suivi à 3 mois', REALISER_SUIVI_6_MOIS: 'Suivi à 6 mois',
    CLORE: 'Clore', REINTEGRER: 'Réintégrer', CONSTATER_FIN_DE_DROITS: 'Constater la fin de droits', REFUSER_CONTRAT: 'Refus du contrat',
    EXCLURE: 'Exclure', ABANDONNER: 'Abandon',
  };
  var AXES = { DROITS: 'Droits', LOGEMENT: 'Logement', EMPLOI: 'Emploi', FORMATION: 'Formation' };
  var PRIORITES = { DROITS_LOGEMENT: 'Droits & Logement', EMPLOI_FORMATION: 'Emploi & Formation', LES_DEUX: 'Les deux' };
  var MOTIFS_EXCLUSION = { DEUX_REFUS_LOGEMENT: 'Deux refus de logement', VIOLENCE_MENACES: 'Violence ou menaces', NON_ADHESION: 'Non-adhésion', COMPORTEMENT_DELICTUEUX: 'Comportement délictueux' };
  var TYPES_EVALUATION = { ENTREE: 'Entrée', MI_PARCOURS: 'Mi-parcours', SORTIE: 'Sortie' };

  var LOGEMENTS = {
    SANS_ABRI_HEBERGEMENT_PRECAIRE: 'Sans abri ou hébergement précaire', DNA: 'Dispositif national d\'accueil (DNA)', HEBERGEMENT_TEMPORAIRE: 'Hébergement temporaire',
    LOGEMENT_ACCOMPAGNE_ADAPTE: 'Logement accompagné ou adapté', LOGEMENT_AUTONOME: 'Logement autonome',
  };
  var TYPES_LOGEMENT = {
    SANS_ABRI: 'sans abri', SQUAT: 'squat', HEBERGEMENT_TIERS: 'hébergé par un tiers', CADA: 'CADA', HUDA: 'HUDA', CPH: 'CPH', AUTRE_DNA: 'autre DNA',
    HOTEL: 'hôtel', CHRS: 'CHRS', HEBERGEMENT_URGENCE: 'hébergement d\'urgence', RESIDENCE_SOCIALE: 'Résidence sociale', FJT: 'FJT', IML: 'intermédiation locative (IML)',
    PENSION_DE_FAMILLE: 'pension de famille', PARC_SOCIAL: 'parc social', PARC_PRIVE: 'parc privé',
  };
  var SITUATIONS_PRO = {
    SANS_ACTIVITE: 'Sans activité', FORMATION_LINGUISTIQUE: 'Formation linguistique', FORMATION_PROFESSIONNELLE: 'Formation professionnelle', ETUDES: 'Études',
    EMPLOI_COURT: 'Emploi court', EMPLOI_DURABLE: 'Emploi durable', ALTERNANCE: 'Alternance', INSERTION_ACTIVITE_ECONOMIQUE: 'Insertion par l\'activité économique', SERVICE_CIVIQUE: 'Service civique',
  };

  /** Which domain answers each field of a parcours (the others are Coordination's). */
  var DOMAINE_DU_CHAMP = {
    situationLogement: 'DROITS_LOGEMENT', historiqueLogement: 'DROITS_LOGEMENT', demarchesDroits: 'DROITS_LOGEMENT', demandeLogementSocial: 'DROITS_LOGEMENT',
    propositionsLogement: 'DROITS_LOGEMENT', installationLogement: 'DROITS_LOGEMENT', evenementsDroitsLogement: 'DROITS_LOGEMENT', logementPourSortie: 'DROITS_LOGEMENT',
    refusPropositionsLogement: 'DROITS_LOGEMENT', derniereActiviteDroitsLogement: 'DROITS_LOGEMENT',
    situationProfessionnelle: 'EMPLOI_FORMATION', historiqueProfessionnel: 'EMPLOI_FORMATION', langue: 'EMPLOI_FORMATION', evaluationsLangue: 'EMPLOI_FORMATION',
    formations: 'EMPLOI_FORMATION', contratsTravail: 'EMPLOI_FORMATION', projetProfessionnel: 'EMPLOI_FORMATION', inscriptionFranceTravail: 'EMPLOI_FORMATION',
    diagnosticSocioProfessionnel: 'EMPLOI_FORMATION', freins: 'EMPLOI_FORMATION', candidatures: 'EMPLOI_FORMATION', evenementsEmploiFormation: 'EMPLOI_FORMATION',
    situationPourSortie: 'EMPLOI_FORMATION', derniereActiviteEmploiFormation: 'EMPLOI_FORMATION',
  };

  /** Coordination's fields computed from the domains' facts (@requires): null when one does not answer. */
  var DEPEND_DES_DOMAINES = { chronologie: true, criteresSortie: true, alertes: true };

  /** `LOGEMENT_AUTONOME` → `logement autonome`, for the enum values without a label of their own. */
  function enClair(v) { return v == null ? '' : String(v).toLowerCase().replace(/_/g, ' '); }
  function libelle(table, v) { return table[v] || enClair(v); }
  function dateFr(iso) { return iso ? iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4) : ''; }
  function aujourdhui() {
    var d = new Date();
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }

  // ---------------------------------------------------------------- DOM

  /** An element with attributes (`text` sets its text, `on*` functions listen) and children (strings become text). */
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v == null || v === false) return;
      if (k === 'text') e.textContent = v;
      else if (k.slice(0, 2) === 'on' && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    });
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function montrer(id, texte) { var e = $(id); e.textContent = texte || ''; e.hidden = !texte; }
  function annoncer(texte) { $('statut').textContent = texte || ''; }
  /** A table in a focusable region, so that it scrolls with the keyboard when narrower than its content. */
  function tableau(legende, entetes, lignes, attrs) {
    var table = el('table', attrs || {}, [
      el('caption', { text: legende }),
      el('thead', {}, [el('tr', {}, entetes.map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
      el('tbody', {}, lignes),
    ]);
    return el('div', { class: 'tableau', tabindex: '0', role: 'region', 'aria-label': legende }, [table]);
  }
  function cellule(contenu, attrs) { return el('td', attrs || {}, [contenu == null ? '' : contenu]); }
  function lienParcours(id, texte) { return el('a', { href: urlParcours(id), 'data-parcours': id, text: texte }); }
  function badge(domaine) { return el('span', { class: 'domaine domaine-' + domaine.toLowerCase().replace(/_/g, '-'), text: DOMAINES[domaine] || enClair(domaine) }); }
  function masque(texte) { return el('span', { class: 'masque', text: texte }); }

  // ---------------------------------------------------------------- token and GraphQL

  /** The token's claims, for display and to choose the views (the hub decides access, not this). */
  function claims() {
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return null;
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      var json = decodeURIComponent(Array.prototype.map.call(atob(part), function (c) { return '%' + ('00' + c.charCodeAt(0).toString(16)).slice(-2); }).join(''));
      var c = JSON.parse(json);
      return { name: c.name || c.sub, roles: c.roles || [], departements: c.departements || [], referent: c.referent || null };
    } catch (e) {
      return { name: null, roles: [], departements: [], referent: null };
    }
  }
  function estCoordination(c) { return !!c && c.roles.indexOf('COORDINATION') !== -1; }

  function ConsoleError(message) { this.name = 'ConsoleError'; this.message = message; }
  ConsoleError.prototype = Object.create(Error.prototype);

  /** Posts an operation; answers the whole body (data and errors), throws only when the token is refused or the answer is unreadable. */
  async function graphql(query, variables) {
    var token = sessionStorage.getItem(TOKEN_KEY);
    var response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    var body;
    try { body = await response.json(); } catch (e) { throw new ConsoleError('Réponse illisible de la passerelle (HTTP ' + response.status + ').'); }
    if (response.status === 401) throw new ConsoleError('Jeton refusé : ' + messages(body.errors) + ' Collez un jeton valide (npm run -s token -- --role COORDINATION).');
    return { data: body.data || null, errors: body.errors || [] };
  }
  function messages(errors) {
    return (errors || []).map(function (e) { var code = e.extensions && e.extensions.code; return e.message + (code ? ' (' + code + ')' : ''); }).join(' ; ');
  }

  /**
   * Reads a response's errors: which paths are refused (FORBIDDEN), which domains did not answer
   * (SUBGRAPH_UNAVAILABLE, at a path or for the whole request), and the rest.
   */
  function lireErreurs(errors) {
    var parChemin = [];
    var indisponibles = {};
    var autres = [];
    (errors || []).forEach(function (e) {
      var code = e.extensions && e.extensions.code;
      if (code === 'SUBGRAPH_UNAVAILABLE') {
        var d = SERVICE_DOMAINE[e.extensions.serviceName] || e.extensions.serviceName;
        indisponibles[d] = e.extensions.domaine || DOMAINES[d] || d;
      }
      if (e.path) parChemin.push({ chemin: e.path.join('.'), erreur: e });
      else if (code !== 'SUBGRAPH_UNAVAILABLE') autres.push(e);
    });
    return {
      indisponibles: indisponibles,
      autres: autres,
      /** The error at this path or at one of its parents. */
      a: function (chemin) {
        var trouve = null;
        parChemin.forEach(function (x) { if (!trouve && (chemin === x.chemin || chemin.indexOf(x.chemin + '.') === 0)) trouve = x.erreur; });
        return trouve;
      },
      /** The errors below this path (a refused field inside a list, say). */
      sous: function (chemin) { return parChemin.filter(function (x) { return x.chemin.indexOf(chemin + '.') === 0; }).map(function (x) { return x.erreur; }); },
    };
  }

  // ---------------------------------------------------------------- routing

  var etat = { params: new URLSearchParams(location.search), alertes: null, parcours: null };

  function jour() { return etat.params.get('date') || $('jour').value || aujourdhui(); }
  function urlAvec(params) {
    var p = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) p.set(k, params[k]); });
    var s = p.toString();
    return '/console' + (s ? '?' + s : '');
  }
  function communs() { return { departement: etat.params.get('departement'), date: etat.params.get('date') }; }
  function urlParcours(id) { return urlAvec(Object.assign(communs(), { parcours: id })); }

  function naviguer(url, remplacer) {
    if (remplacer) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    etat.params = new URLSearchParams(location.search);
    return afficherVue(true);
  }

  function vueDemandee() {
    if (etat.params.get('parcours')) return 'parcours';
    if (etat.params.get('vue') === 'recherche') return 'recherche';
    return 'a-traiter';
  }

  async function afficherVue(focaliser) {
    var vue = vueDemandee();
    ['a-traiter', 'recherche', 'parcours'].forEach(function (v) { $('vue-' + v).hidden = v !== vue; });
    document.body.dataset.vue = vue;
    $('lien-a-traiter').setAttribute('aria-current', vue === 'a-traiter' ? 'page' : 'false');
    $('lien-recherche').setAttribute('aria-current', vue === 'recherche' ? 'page' : 'false');
    $('lien-a-traiter').href = urlAvec(communs());
    $('lien-recherche').href = urlAvec(Object.assign(communs(), { vue: 'recherche' }));
    montrer('erreur', '');
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      montrer('erreur', 'Collez votre jeton puis « Ouvrir la console » (npm run -s token -- --role COORDINATION).');
      document.body.dataset.etat = 'vide';
      return;
    }
    document.body.dataset.etat = 'chargement';
    try {
      if (vue === 'parcours') await vueParcours(etat.params.get('parcours'));
      else if (vue === 'recherche') await vueRecherche();
      else await vueATraiter();
      document.body.dataset.etat = 'pret';
    } catch (e) {
      montrer('erreur', e.message);
      document.body.dataset.etat = 'erreur';
    }
    if (focaliser) {
      var titre = $('titre-' + vue);
      if (titre) titre.focus();
    }
  }

  // ---------------------------------------------------------------- À traiter

  var CHAMPS_ALERTES = 'departement dateCalcul exclusionEvaluee activiteDomainesEvaluee avertissements\n' +
    '    alertes { code niveau message dateEcheance joursRestants\n' +
    '      parcours { id statut departement site { id nom } beneficiaire { nom prenom }\n' +
    '        referentDroitsLogement { id nom prenom } referentEmploiFormation { id nom prenom } } }';

  /** The départements to list: the one chosen, or all the caller's. */
  function departementsChoisis() {
    var c = claims();
    var choisi = etat.params.get('departement');
    if (choisi) return [choisi];
    return c && c.departements.length ? c.departements : ['44'];
  }

  async function vueATraiter() {
    var deps = departementsChoisis();
    var variables = { date: jour() };
    var declarations = ['$date: Date'];
    var champs = deps.map(function (d, i) {
      variables['d' + i] = d;
      declarations.push('$d' + i + ': String!');
      return '  d' + i + ': alertes(departement: $d' + i + ', date: $date) {\n    ' + CHAMPS_ALERTES + '\n  }';
    });
    var query = 'query ATraiter(' + declarations.join(', ') + ') {\n' + champs.join('\n') + '\n}';
    var reponse = await graphql(query, variables);
    var erreurs = lireErreurs(reponse.errors);
    if (!reponse.data) throw new ConsoleError('Alertes indisponibles : ' + messages(reponse.errors));
    var lignes = [];
    var avertissements = [];
    deps.forEach(function (d, i) {
      var bloc = reponse.data['d' + i];
      if (!bloc) { avertissements.push('Département ' + d + ' : ' + messages(reponse.errors.filter(function (e) { return e.path && e.path[0] === 'd' + i; }))); return; }
      bloc.avertissements.forEach(function (a) { avertissements.push(a); });
      bloc.alertes.forEach(function (a, k) { lignes.push({ alerte: a, chemin: 'd' + i + '.alertes.' + k }); });
    });
    Object.keys(erreurs.indisponibles).forEach(function (d) { avertissements.push(erreurs.indisponibles[d] + ' indisponible : certaines alertes n\'ont pas pu être évaluées.'); });
    etat.alertes = { lignes: lignes, erreurs: erreurs };
    var liste = $('avertissements-alertes');
    liste.replaceChildren.apply(liste, avertissements.map(function (a) { return el('li', { text: a }); }));
    liste.hidden = avertissements.length === 0;
    remplirFiltres(lignes);
    dessinerAlertes();
  }

  function nomReferent(r) { return r ? r.prenom + ' ' + r.nom : ''; }

  function remplirFiltres(lignes) {
    var sites = {};
    var referents = {};
    lignes.forEach(function (l) {
      var p = l.alerte.parcours;
      if (p.site) sites[p.site.id] = p.site.nom;
      [p.referentDroitsLogement, p.referentEmploiFormation].forEach(function (r) { if (r) referents[r.id] = nomReferent(r); });
    });
    var options = function (select, premiere, valeurs, choisie) {
      var cles = Object.keys(valeurs).sort(function (a, b) { return valeurs[a].localeCompare(valeurs[b], 'fr'); });
      if (choisie && !(choisie in valeurs)) { valeurs[choisie] = choisie; cles.push(choisie); }
      select.replaceChildren.apply(select, [el('option', { value: '', text: premiere })].concat(cles.map(function (k) { return el('option', { value: k, text: valeurs[k] }); })));
      select.value = choisie || '';
    };
    var regles = {};
    ORDRE_REGLES.forEach(function (r) { regles[r] = REGLES[r]; });
    var regle = etat.params.get('regle') || '';
    var niveau = etat.params.get('niveau') || '';
    // `DIAGNOSTIC_EN_RETARD`: a rule and a level in one word, as the dashboard's links may say.
    var combine = /^(.*)_(EN_RETARD|BIENTOT)$/.exec(regle);
    if (combine && REGLES[combine[1]]) { regle = combine[1]; niveau = niveau || combine[2]; }
    var select = $('filtre-regle');
    select.replaceChildren.apply(select, [el('option', { value: '', text: 'Toutes les règles' })].concat(ORDRE_REGLES.map(function (k) { return el('option', { value: k, text: REGLES[k] }); })));
    select.value = REGLES[regle] ? regle : '';
    $('filtre-niveau').value = NIVEAUX[niveau] ? niveau : '';
    options($('filtre-site'), 'Tous les sites', sites, etat.params.get('site'));
    options($('filtre-referent'), 'Tous les référents', referents, etat.params.get('referent'));
  }

  function filtresCourants() {
    return { regle: $('filtre-regle').value, niveau: $('filtre-niveau').value, site: $('filtre-site').value, referent: $('filtre-referent').value };
  }

  function dessinerAlertes() {
    var f = filtresCourants();
    var erreurs = etat.alertes.erreurs;
    var retenues = etat.alertes.lignes.filter(function (l) {
      var a = l.alerte;
      var p = a.parcours;
      if (f.regle && a.code !== f.regle) return false;
      if (f.niveau && a.niveau !== f.niveau) return false;
      if (f.site && (!p.site || p.site.id !== f.site)) return false;
      if (f.referent && !((p.referentDroitsLogement && p.referentDroitsLogement.id === f.referent) || (p.referentEmploiFormation && p.referentEmploiFormation.id === f.referent))) return false;
      return true;
    });
    var parcours = {};
    retenues.forEach(function (l) { parcours[l.alerte.parcours.id] = true; });
    $('resume-alertes').textContent = retenues.length + ' alerte' + (retenues.length > 1 ? 's' : '') + ' sur ' + Object.keys(parcours).length + ' parcours, au ' + dateFr(jour()) + '.';
    var groupes = {};
    retenues.forEach(function (l) { (groupes[l.alerte.code] = groupes[l.alerte.code] || []).push(l); });
    var codes = Object.keys(groupes).sort(function (a, b) { return ORDRE_REGLES.indexOf(a) - ORDRE_REGLES.indexOf(b); });
    var sections = codes.map(function (code) {
      var lignes = groupes[code].slice().sort(function (x, y) { return x.alerte.dateEcheance.localeCompare(y.alerte.dateEcheance) || x.alerte.joursRestants - y.alerte.joursRestants; });
      var titre = libelle(REGLES, code) + ' (' + lignes.length + ')';
      var idTitre = 'groupe-' + code.toLowerCase();
      return el('section', { class: 'groupe', 'aria-labelledby': idTitre, 'data-regle': code }, [
        el('h3', { id: idTitre, text: titre }),
        tableau(titre, ['Échéance', 'Personne', 'À faire', 'Niveau', 'Site', 'Binôme'], lignes.map(function (l) {
          var a = l.alerte;
          var p = a.parcours;
          var b = p.beneficiaire;
          var refus = erreurs.a(l.chemin + '.parcours.beneficiaire');
          var personne = b ? lienParcours(p.id, b.nom.toUpperCase() + ' ' + b.prenom) : lienParcours(p.id, refus ? 'Identité masquée (' + p.departement + ')' : 'Parcours ' + p.id.slice(0, 8));
          return el('tr', { 'data-parcours': p.id, 'data-code': a.code, 'data-niveau': a.niveau }, [
            cellule(el('time', { datetime: a.dateEcheance, text: dateFr(a.dateEcheance) })),
            cellule(personne),
            cellule(a.message),
            cellule(el('span', { class: 'niveau niveau-' + a.niveau.toLowerCase(), text: libelle(NIVEAUX, a.niveau) + (a.joursRestants < 0 ? ' de ' + -a.joursRestants + ' j' : ' (' + a.joursRestants + ' j)') })),
            cellule(p.site ? p.site.nom : ''),
            cellule([nomReferent(p.referentDroitsLogement), nomReferent(p.referentEmploiFormation)].filter(Boolean).join(' · ') || 'non désigné'),
          ]);
        })),
      ]);
    });
    var zone = $('groupes-alertes');
    if (sections.length === 0) sections = [el('p', { class: 'vide', text: 'Rien à traiter avec ces filtres.' })];
    zone.replaceChildren.apply(zone, sections);
  }

  function filtrer() {
    var f = filtresCourants();
    history.replaceState(null, '', urlAvec(Object.assign(communs(), f)));
    etat.params = new URLSearchParams(location.search);
    dessinerAlertes();
    annoncer($('resume-alertes').textContent);
  }

  // ---------------------------------------------------------------- Recherche

  var RECHERCHE = 'query Recherche($texte: String, $dateNaissance: Date, $numeroDossierOfii: String, $departement: String) {\n' +
    '  rechercherBeneficiaires(texte: $texte, dateNaissance: $dateNaissance, numeroDossierOfii: $numeroDossierOfii, departement: $departement, first: 20) {\n' +
    '    score correspondances\n' +
    '    beneficiaire { id nom prenom dateNaissance\n' +
    '      doublonsProbables { score correspondances beneficiaire { id nom prenom dateNaissance } parcours { id statut departement dateOrientation } } }\n' +
    '    parcours { id statut departement dateOrientation site { nom } }\n' +
    '  }\n}';

  async function vueRecherche() {
    var p = etat.params;
    $('recherche-texte').value = p.get('texte') || '';
    $('recherche-naissance').value = p.get('dateNaissance') || '';
    $('recherche-ofii').value = p.get('numeroDossierOfii') || '';
    montrer('erreur-recherche', '');
    var resultats = $('resultats-recherche');
    if (!p.get('texte') && !p.get('dateNaissance') && !p.get('numeroDossierOfii')) {
      resultats.replaceChildren();
      $('resume-recherche').textContent = 'Saisissez un nom, une date de naissance ou un numéro de dossier.';
      return;
    }
    var reponse = await graphql(RECHERCHE, {
      texte: p.get('texte') || null,
      dateNaissance: p.get('dateNaissance') || null,
      numeroDossierOfii: p.get('numeroDossierOfii') || null,
      departement: p.get('departement') || null,
    });
    if (!reponse.data) {
      var inconnue = reponse.errors.some(function (e) { return /rechercherBeneficiaires/.test(e.message) && e.extensions && e.extensions.code === 'GRAPHQL_VALIDATION_FAILED'; });
      montrer('erreur-recherche', inconnue ? 'La recherche de personnes n\'est pas encore disponible sur ce hub.' : messages(reponse.errors));
      resultats.replaceChildren();
      $('resume-recherche').textContent = '';
      return;
    }
    var erreurs = lireErreurs(reponse.errors);
    var trouvees = reponse.data.rechercherBeneficiaires;
    $('resume-recherche').textContent = trouvees.length + ' personne' + (trouvees.length > 1 ? 's trouvées' : ' trouvée') + ', la plus ressemblante d\'abord.';
    resultats.replaceChildren.apply(resultats, trouvees.map(function (t, i) {
      var chemin = 'rechercherBeneficiaires.' + i;
      var doublons = t.beneficiaire.doublonsProbables;
      var refusDoublons = erreurs.a(chemin + '.beneficiaire.doublonsProbables');
      return el('li', { class: 'resultat', 'data-beneficiaire': t.beneficiaire.id }, [
        el('div', { class: 'personne' }, carteTrouvee(t, 'h3')),
        el('div', { class: 'doublons', role: 'group', 'aria-label': 'Doublons probables de ' + t.beneficiaire.prenom + ' ' + t.beneficiaire.nom }, [el('h4', { text: 'Doublons probables' })].concat(
          refusDoublons ? [masque('masqué : ' + raisonRefus(refusDoublons))]
            : doublons && doublons.length ? doublons.map(function (d) { return el('div', { class: 'doublon', 'data-beneficiaire': d.beneficiaire.id }, carteTrouvee(d, 'h5')); })
              : [el('p', { class: 'vide', text: 'Aucun doublon probable.' })])),
      ]);
    }));
  }

  function carteTrouvee(t, niveauTitre) {
    var b = t.beneficiaire;
    return [
      el(niveauTitre, { text: b.nom.toUpperCase() + ' ' + b.prenom }),
      el('p', { text: 'Né(e) le ' + dateFr(b.dateNaissance) + ' · ressemblance ' + Math.round(100 * t.score) + ' %' + (t.correspondances.length ? ' · correspond par ' + t.correspondances.map(function (c) { return libelle(CORRESPONDANCES, c); }).join(', ') : '') }),
      t.parcours && t.parcours.length
        ? el('ul', { class: 'parcours-trouves' }, t.parcours.map(function (p) {
          return el('li', {}, [lienParcours(p.id, 'Parcours ' + p.departement + ' · ' + libelle(STATUTS, p.statut) + ' · orienté le ' + dateFr(p.dateOrientation) + (p.site ? ' · ' + p.site.nom : ''))]);
        }))
        : el('p', { class: 'vide', text: 'Aucun parcours visible.' }),
    ];
  }

  function rechercher(event) {
    event.preventDefault();
    naviguer(urlAvec(Object.assign(communs(), {
      vue: 'recherche', texte: $('recherche-texte').value.trim(), dateNaissance: $('recherche-naissance').value, numeroDossierOfii: $('recherche-ofii').value.trim(),
    })));
  }

  // ---------------------------------------------------------------- Le parcours

  /**
   * The whole page in one federated query: Coordination's parcours, identity, binôme, consent,
   * deadlines, exit criteria and unified chronologie, and each domain's own fields of the same
   * entity. Exposed (window.AgirConsole) so that a test can make the very same query.
   */
  var REQUETE_PARCOURS = 'query ConsoleParcours($id: ID!, $jour: Date) {\n' +
    '  parcours(id: $id) {\n' +
    '    id statut departement canalOrientation dateOrientation dateSignatureCir dateDiagnostic dateCommission dateContrat dateFinContrat dateSortie motifFin motifExclusion numeroDossierOfii\n' +
    '    site { id nom }\n' +
    '    beneficiaire { id nom prenom dateNaissance sexe paysNaissance protection dateObtentionProtection rejoignant communeResidence { nom } telephone email }\n' +
    '    actionsPermises\n' +
    '    referentDroitsLogement { id nom prenom email structure { nom } }\n' +
    '    referentEmploiFormation { id nom prenom email structure { nom } }\n' +
    '    consentements { domaine donneLe retireLe portee }\n' +
    '    alertes(date: $jour) { code niveau message dateEcheance joursRestants }\n' +
    '    echeances(date: $jour) { code libelle dateEcheance dateRealisation etat joursRestants explication }\n' +
    '    criteresSortie(date: $jour) { rempli criteres { critere statut source raison } }\n' +
    '    chronologie { date domaine type libelle }\n' +
    // The parts of the chronologie, for when it cannot be merged (a domain does not answer).
    '    historique { action date statutApres motif }\n' +
    '    evenementsDroitsLogement { date domaine type libelle }\n' +
    '    evenementsEmploiFormation { date domaine type libelle }\n' +
    '    situationLogement { categorie type commune { nom } dateDebut }\n' +
    '    demarchesDroits { type statut organisme dateDebut dateFin }\n' +
    '    demandeLogementSocial { numeroUnique dateDepot echeanceRenouvellement }\n' +
    '    propositionsLogement { date bailleur typologie commune { nom } reponse dateReponse }\n' +
    '    situationProfessionnelle { categorie dateDebut stabilisante }\n' +
    '    langue { niveauCecrl dateEvaluation niveauEntree }\n' +
    '    projetProfessionnel { etat metiersVises { libelle } dateMiseAJour }\n' +
    '    inscriptionFranceTravail { dateInscription }\n' +
    '    formations { intitule organisme type dateDebut dateFin resultat }\n' +
    '    contratsTravail { type employeur dateDebut dateFin stabilisant }\n' +
    '  }\n}';

  /** Why a field is hidden, in the page's words. */
  function raisonRefus(erreur, domaine, consentements) {
    if (domaine && domaine !== 'COORDINATION' && consentements && !consentementDonne(consentements, domaine)) return 'pas de consentement';
    if (/consenti/.test(erreur.message)) return 'pas de consentement';
    var m = /^Accès refusé à [^:]+ : (.*?)\.?$/.exec(erreur.message);
    return m ? m[1] : erreur.message;
  }
  function consentementDonne(consentements, domaine) {
    return consentements.some(function (c) { return c.domaine === domaine && !c.retireLe; });
  }

  /**
   * The state of one field of the parcours: `ok`, `masque` (refused, with why) or `indisponible`
   * (its domain did not answer), from the errors at its path.
   */
  function etatChamp(ctx, champ) {
    var domaine = DOMAINE_DU_CHAMP[champ] || 'COORDINATION';
    var erreur = ctx.erreurs.a('parcours.' + champ);
    var code = erreur && erreur.extensions && erreur.extensions.code;
    if (code === 'SUBGRAPH_UNAVAILABLE' || (ctx.p[champ] == null && ctx.erreurs.indisponibles[domaine])) {
      return { etat: 'indisponible', texte: (ctx.erreurs.indisponibles[domaine] || DOMAINES[domaine]) + ' indisponible' };
    }
    var absents = Object.keys(ctx.erreurs.indisponibles).map(function (d) { return ctx.erreurs.indisponibles[d]; });
    if (!erreur && ctx.p[champ] == null && DEPEND_DES_DOMAINES[champ] && absents.length) {
      return { etat: 'indisponible', texte: absents.join(', ') + ' indisponible : ne peut être calculé sans ' + (absents.length > 1 ? 'eux' : 'lui') };
    }
    if (erreur) return { etat: 'masque', texte: 'masqué : ' + raisonRefus(erreur, domaine, ctx.p.consentements || []) };
    return { etat: 'ok' };
  }

  /** A field's value, or why there is none. */
  function valeur(ctx, champ, rendu, vide) {
    var e = etatChamp(ctx, champ);
    if (e.etat === 'indisponible') return el('span', { class: 'indisponible', 'data-champ': champ, text: e.texte });
    if (e.etat === 'masque') return el('span', { class: 'masque', 'data-champ': champ, text: e.texte });
    var v = ctx.p[champ];
    if (v == null || (Array.isArray(v) && v.length === 0)) return el('span', { class: 'vide', 'data-champ': champ, text: vide || 'non renseigné' });
    var r = rendu(v);
    if (r && !r.setAttribute) r = el('span', {}, [r]);
    if (r) r.setAttribute('data-champ', champ);
    return r;
  }

  function liste(dl, paires) {
    paires.forEach(function (p) { dl.appendChild(el('dt', { text: p[0] })); dl.appendChild(el('dd', {}, [p[1]])); });
    return dl;
  }
  function section(id, titre, contenu) {
    return el('section', { class: 'carte', id: id, 'aria-labelledby': id + '-titre' }, [el('h3', { id: id + '-titre', text: titre })].concat(contenu));
  }

  async function vueParcours(id, message) {
    var zone = $('parcours-contenu');
    var reponse = await graphql(REQUETE_PARCOURS, { id: id, jour: jour() });
    var erreurs = lireErreurs(reponse.errors);
    var p = reponse.data && reponse.data.parcours;
    if (!p) {
      $('titre-parcours').textContent = 'Parcours introuvable';
      zone.replaceChildren(el('p', { class: 'erreur-bloc', text: messages(reponse.errors) || 'Ce parcours n\'existe pas ou ne vous est pas accessible.' }));
      etat.parcours = null;
      return;
    }
    etat.parcours = p;
    var ctx = { p: p, erreurs: erreurs };
    var b = p.beneficiaire;
    $('titre-parcours').textContent = (b ? b.nom.toUpperCase() + ' ' + b.prenom : 'Identité masquée') + ' · ' + libelle(STATUTS, p.statut);
    var domainesAbsents = Object.keys(erreurs.indisponibles).map(function (d) { return el('li', { class: 'indisponible', text: erreurs.indisponibles[d] + ' indisponible : ses informations manquent à cette page, le reste est à jour.' }); });
    var autres = erreurs.autres.map(function (e) { return el('li', { text: e.message }); });
    var contenu = [
      domainesAbsents.length || autres.length ? el('ul', { class: 'avertissements', id: 'avertissements-parcours' }, domainesAbsents.concat(autres)) : null,
      sectionIdentite(ctx),
      sectionStatut(ctx),
      sectionBinome(ctx),
      sectionAlertes(ctx),
      sectionEcheances(ctx),
      sectionCriteres(ctx),
      sectionChronologie(ctx),
      sectionDroitsLogement(ctx),
      sectionEmploiFormation(ctx),
      sectionActions(ctx),
    ];
    zone.replaceChildren.apply(zone, contenu.filter(Boolean));
    if (message) annoncer(message);
    await chargerReferentiel(ctx);
  }

  function sectionIdentite(ctx) {
    var b = ctx.p.beneficiaire;
    var refus = ctx.erreurs.a('parcours.beneficiaire');
    if (!b) return section('identite', 'Identité', [masque(refus ? 'masqué : ' + raisonRefus(refus) : 'non renseignée')]);
    var champ = function (nom, rendu) {
      var e = ctx.erreurs.a('parcours.beneficiaire.' + nom);
      if (e) return masque('masqué : ' + raisonRefus(e));
      var v = b[nom];
      return v == null || v === '' ? el('span', { class: 'vide', text: 'non renseigné' }) : document.createTextNode(rendu ? rendu(v) : String(v));
    };
    return section('identite', 'Identité', [liste(el('dl', {}), [
      ['Nom', champ('nom', function (v) { return v.toUpperCase(); })],
      ['Prénom', champ('prenom')],
      ['Date de naissance', champ('dateNaissance', dateFr)],
      ['Sexe', champ('sexe', enClair)],
      ['Pays de naissance', champ('paysNaissance')],
      ['Protection', champ('protection', function (v) { return libelle({ REFUGIE: 'statut de réfugié', PROTECTION_SUBSIDIAIRE: 'protection subsidiaire' }, v); })],
      ['Obtenue le', champ('dateObtentionProtection', dateFr)],
      ['Rejoignant', champ('rejoignant', function (v) { return v ? 'oui' : 'non'; })],
      ['Commune de résidence', champ('communeResidence', function (v) { return v.nom; })],
      ['Téléphone', champ('telephone')],
      ['Courriel', champ('email')],
      ['Dossier OFII', valeur(ctx, 'numeroDossierOfii', function (v) { return document.createTextNode(v); })],
    ])]);
  }

  function sectionStatut(ctx) {
    var p = ctx.p;
    var date = function (champ) { return valeur(ctx, champ, function (v) { return el('time', { datetime: v, text: dateFr(v) }); }, '—'); };
    var actions = valeur(ctx, 'actionsPermises', function (v) {
      return el('ul', { class: 'actions-permises' }, v.map(function (a) { return el('li', { 'data-action': a, text: libelle(ACTIONS_LIBELLES, a) }); }));
    }, 'aucune');
    return section('statut-parcours', 'Statut et étapes', [liste(el('dl', {}), [
      ['Statut', el('strong', { 'data-statut': p.statut, text: libelle(STATUTS, p.statut) })],
      ['Département · site', document.createTextNode(p.departement + ' · ' + (p.site ? p.site.nom : ''))],
      ['Orientation', document.createTextNode(dateFr(p.dateOrientation) + ' (' + enClair(p.canalOrientation) + ')')],
      ['Signature du CIR', date('dateSignatureCir')],
      ['Diagnostic', date('dateDiagnostic')],
      ['Commission', date('dateCommission')],
      ['Contrat', date('dateContrat')],
      ['Fin du contrat', date('dateFinContrat')],
      ['Sortie', date('dateSortie')],
      ['Motif de fin', valeur(ctx, 'motifFin', function (v) { return document.createTextNode(v); }, '—')],
      ['Actions permises', actions],
    ])]);
  }

  function sectionBinome(ctx) {
    var referent = function (champ) {
      return valeur(ctx, champ, function (r) { return document.createTextNode(r.prenom + ' ' + r.nom + (r.structure ? ' (' + r.structure.nom + ')' : '') + (r.email ? ' · ' + r.email : '')); }, 'non désigné');
    };
    var consentement = function (domaine) {
      var c = (ctx.p.consentements || []).filter(function (x) { return x.domaine === domaine; })[0];
      if (ctx.erreurs.a('parcours.consentements')) return masque('masqué : ' + raisonRefus(ctx.erreurs.a('parcours.consentements')));
      if (!c) return el('span', { class: 'vide', text: 'non donné' });
      return document.createTextNode(c.retireLe ? 'retiré le ' + dateFr(c.retireLe) : 'donné le ' + dateFr(c.donneLe));
    };
    return section('binome', 'Binôme et consentements', [liste(el('dl', {}), [
      ['Référent Droits & Logement', referent('referentDroitsLogement')],
      ['Référent Emploi & Formation', referent('referentEmploiFormation')],
      ['Partage Droits & Logement', consentement('DROITS_LOGEMENT')],
      ['Partage Emploi & Formation', consentement('EMPLOI_FORMATION')],
    ])]);
  }

  function sectionAlertes(ctx) {
    return section('alertes-parcours', 'Alertes au ' + dateFr(jour()), [valeur(ctx, 'alertes', function (v) {
      return el('ul', {}, v.map(function (a) { return el('li', { 'data-code': a.code, 'data-niveau': a.niveau }, [el('strong', { text: libelle(REGLES, a.code) + ' · ' + libelle(NIVEAUX, a.niveau) + ' : ' }), a.message]); }));
    }, 'aucune alerte')]);
  }

  function sectionEcheances(ctx) {
    return section('echeances', 'Échéances au ' + dateFr(jour()), [valeur(ctx, 'echeances', function (v) {
      return tableau('Échéances du parcours', ['Échéance', 'Pour le', 'Réalisée le', 'État', 'Explication'], v.map(function (e) {
        return el('tr', { 'data-code': e.code, 'data-etat': e.etat }, [
          cellule(e.libelle), cellule(el('time', { datetime: e.dateEcheance, text: dateFr(e.dateEcheance) })), cellule(e.dateRealisation ? el('time', { datetime: e.dateRealisation, text: dateFr(e.dateRealisation) }) : '—'),
          cellule(el('span', { class: 'etat etat-' + e.etat.toLowerCase().replace(/_/g, '-'), text: libelle(ETATS_ECHEANCE, e.etat) })), cellule(e.explication),
        ]);
      }));
    }, 'aucune échéance')]);
  }

  function sectionCriteres(ctx) {
    var form = el('form', { class: 'barre', id: 'form-jour-criteres', onsubmit: function (event) {
      event.preventDefault();
      var j = $('jour-criteres').value;
      if (j) { $('jour').value = j; naviguer(urlAvec(Object.assign(communs(), { date: j, parcours: ctx.p.id })), true); }
    } }, [
      el('div', { class: 'champ' }, [el('label', { for: 'jour-criteres', text: 'Critères jugés au' }), el('input', { id: 'jour-criteres', type: 'date', value: jour(), required: true })]),
      el('div', { class: 'boutons' }, [el('button', { type: 'submit', text: 'Évaluer ce jour-là' })]),
    ]);
    return section('criteres', 'Critères de sortie au ' + dateFr(jour()), [form, valeur(ctx, 'criteresSortie', function (c) {
      return el('div', {}, [
        el('p', { 'data-rempli': String(c.rempli), text: c.rempli ? 'Les deux critères sont remplis : la sortie est possible.' : 'Les critères de sortie ne sont pas tous remplis.' }),
        tableau('Critères de sortie', ['Critère', 'État', 'Source', 'Raison'], c.criteres.map(function (k) {
          return el('tr', { 'data-critere': k.critere, 'data-statut': k.statut }, [cellule(libelle(CRITERES, k.critere)), cellule(libelle(STATUTS_CRITERE, k.statut)), cellule(badge(k.source)), cellule(k.raison)]);
        })),
      ]);
    }, 'non évalués')]);
  }

  function sectionChronologie(ctx) {
    var notes = [];
    ['evenementsDroitsLogement', 'evenementsEmploiFormation'].forEach(function (champ) {
      var domaine = DOMAINE_DU_CHAMP[champ];
      var e = ctx.erreurs.a('parcours.' + champ);
      var code = e && e.extensions && e.extensions.code;
      if (code === 'SUBGRAPH_UNAVAILABLE' || ctx.erreurs.indisponibles[domaine]) notes.push(el('li', { class: 'indisponible', 'data-domaine': domaine, text: (ctx.erreurs.indisponibles[domaine] || DOMAINES[domaine]) + ' indisponible : ses événements manquent.' }));
      else if (e) notes.push(el('li', { class: 'masque', 'data-domaine': domaine, text: DOMAINES[domaine] + ' : masqué : ' + raisonRefus(e, domaine, ctx.p.consentements || []) + '.' }));
    });
    var refus = etatChamp(ctx, 'chronologie');
    var evenements = ctx.p.chronologie || [];
    var partielle = refus.etat === 'indisponible' && Object.keys(ctx.erreurs.indisponibles).length > 0;
    if (refus.etat !== 'ok' && !partielle) return section('chronologie', 'Chronologie', [valeur(ctx, 'chronologie', function () { return null; })]);
    // A domain did not answer, so the gateway could not merge the chronologie: the page merges
    // what did answer (Coordination's history and the other domain's events), and says so.
    if (partielle) evenements = chronologiePartielle(ctx.p);
    var j = jour();
    var ligne = function (e) {
      return el('tr', { 'data-date': e.date, 'data-domaine': e.domaine, 'data-type': e.type }, [cellule(el('time', { datetime: e.date, text: dateFr(e.date) })), cellule(badge(e.domaine)), cellule(e.libelle)]);
    };
    var passes = evenements.filter(function (e) { return e.date <= j; });
    var prevus = evenements.filter(function (e) { return e.date > j; });
    return section('chronologie', 'Chronologie', [
      el('p', { class: 'note', text: partielle ? 'Chronologie partielle : les domaines qui ont répondu, du plus ancien au plus récent ; chaque ligne dit son domaine.' : 'Les événements datés des trois domaines, du plus ancien au plus récent ; chaque ligne dit son domaine.' }),
      notes.length ? el('ul', { class: 'avertissements' }, notes) : null,
      passes.length ? tableau('Événements jusqu\'au ' + dateFr(j), ['Date', 'Domaine', 'Événement'], passes.map(ligne), { id: 'chronologie-passee' }) : el('p', { class: 'vide', text: 'Aucun événement.' }),
      el('h4', { text: 'Prévu après le ' + dateFr(j) }),
      prevus.length ? tableau('Étapes prévues', ['Date', 'Domaine', 'Événement'], prevus.map(ligne), { id: 'chronologie-prevue' }) : el('p', { class: 'vide', text: 'Aucune étape prévue.' }),
    ].filter(Boolean));
  }

  /** Coordination's history and the domains' events that answered, by date then domain, as the hub merges them. */
  function chronologiePartielle(p) {
    var rang = { COORDINATION: 0, DROITS_LOGEMENT: 1, EMPLOI_FORMATION: 2 };
    var ordre = function (e) { return e.domaine in rang ? rang[e.domaine] : 3; };
    var historique = p.historique || [];
    var propres = historique.map(function (t) {
      return { date: t.date, domaine: 'COORDINATION', type: t.action, libelle: libelle(ACTIONS_LIBELLES, t.action) + ' : ' + libelle(STATUTS, t.statutApres) + (t.motif ? ' (' + t.motif + ')' : '') };
    });
    // Steps recorded before the history existed are known by their date column only.
    var colonnes = [['SIGNATURE_CIR', 'dateSignatureCir', 'Signature du CIR'], ['ORIENTER', 'dateOrientation', 'Orientation'], ['REALISER_DIAGNOSTIC', 'dateDiagnostic', 'Entretien diagnostic'],
      ['TENIR_COMMISSION', 'dateCommission', 'Commission d\'attribution'], ['CONTRACTUALISER', 'dateContrat', 'Signature du contrat d\'engagement'], ['SORTIR', 'dateSortie', 'Fin du parcours']];
    colonnes.forEach(function (c) {
      if (p[c[1]] && !historique.some(function (t) { return t.action === c[0]; })) propres.push({ date: p[c[1]], domaine: 'COORDINATION', type: c[0], libelle: c[2] });
    });
    return propres.concat(p.evenementsDroitsLogement || [], p.evenementsEmploiFormation || [])
      .map(function (e, i) { return { e: e, i: i }; })
      .sort(function (a, b) { return a.e.date.localeCompare(b.e.date) || ordre(a.e) - ordre(b.e) || a.i - b.i; })
      .map(function (x) { return x.e; });
  }

  function sectionDomaine(ctx, id, domaine, paires) {
    var indisponible = ctx.erreurs.indisponibles[domaine];
    return section(id, DOMAINES[domaine], [
      indisponible ? el('p', { class: 'indisponible', text: indisponible + ' indisponible : ses informations manquent, réessayez plus tard.' }) : null,
      liste(el('dl', {}), paires),
    ].filter(Boolean));
  }
  function texte(v) { return document.createTextNode(v); }
  function ul(items, rendu) { return el('ul', {}, items.map(function (x) { return el('li', { text: rendu(x) }); })); }
  function periode(debut, fin) { return (debut ? 'du ' + dateFr(debut) : '') + (fin ? ' au ' + dateFr(fin) : debut ? ', en cours' : ''); }

  function sectionDroitsLogement(ctx) {
    return sectionDomaine(ctx, 'droits-logement', 'DROITS_LOGEMENT', [
      ['Logement aujourd\'hui', valeur(ctx, 'situationLogement', function (s) { return texte(libelle(LOGEMENTS, s.categorie) + ' (' + libelle(TYPES_LOGEMENT, s.type) + ')' + (s.commune ? ', ' + s.commune.nom : '') + ' depuis le ' + dateFr(s.dateDebut)); })],
      ['Démarches d\'accès aux droits', valeur(ctx, 'demarchesDroits', function (v) { return ul(v, function (d) { return enClair(d.type) + ' : ' + enClair(d.statut) + (d.organisme ? ' (' + d.organisme + ')' : '') + ' ' + periode(d.dateDebut, d.dateFin); }); }, 'aucune')],
      ['Demande de logement social', valeur(ctx, 'demandeLogementSocial', function (d) { return texte(d.numeroUnique + ', déposée le ' + dateFr(d.dateDepot) + ', à renouveler avant le ' + dateFr(d.echeanceRenouvellement)); }, 'aucune')],
      ['Propositions de logement', valeur(ctx, 'propositionsLogement', function (v) { return ul(v, function (x) { return dateFr(x.date) + ' · ' + x.bailleur + ' · ' + enClair(x.typologie) + ' à ' + x.commune.nom + ' : ' + enClair(x.reponse); }); }, 'aucune')],
    ]);
  }

  function sectionEmploiFormation(ctx) {
    return sectionDomaine(ctx, 'emploi-formation', 'EMPLOI_FORMATION', [
      ['Situation professionnelle', valeur(ctx, 'situationProfessionnelle', function (s) { return texte(libelle(SITUATIONS_PRO, s.categorie) + ' depuis le ' + dateFr(s.dateDebut) + (s.stabilisante ? ' (stabilisante)' : '')); })],
      ['Français', valeur(ctx, 'langue', function (l) { return texte(l.niveauCecrl + ' au ' + dateFr(l.dateEvaluation) + ' (entrée : ' + l.niveauEntree + ')'); })],
      ['Projet professionnel', valeur(ctx, 'projetProfessionnel', function (x) { return texte(enClair(x.etat) + (x.metiersVises.length ? ' : ' + x.metiersVises.map(function (m) { return m.libelle; }).join(', ') : '')); }, 'non défini')],
      ['France Travail', valeur(ctx, 'inscriptionFranceTravail', function (x) { return texte('inscrite le ' + dateFr(x.dateInscription)); }, 'non inscrite')],
      ['Formations', valeur(ctx, 'formations', function (v) { return ul(v, function (f) { return f.intitule + ' (' + f.organisme + ') ' + periode(f.dateDebut, f.dateFin) + ' : ' + enClair(f.resultat); }); }, 'aucune')],
      ['Contrats de travail', valeur(ctx, 'contratsTravail', function (v) { return ul(v, function (k) { return enClair(k.type) + ' chez ' + k.employeur + ' ' + periode(k.dateDebut, k.dateFin) + (k.stabilisant ? ' (stabilisant)' : ''); }); }, 'aucun')],
    ]);
  }

  // ---------------------------------------------------------------- actions

  /**
   * The forms of the mutations, one per action. Each field's `chemin` is the name the hub gives
   * in `extensions.field` when it refuses that value, so that its message goes next to it.
   * `gardes` names the field a refused guard (`extensions.garde`) is about.
   */
  var ACTIONS = {
    CONVOQUER: { titre: 'Convoquer à l\'entretien diagnostic', mutation: 'convoquer(parcoursId: $id, convocation: $input)', type: 'ConvocationInput!', racine: 'convocation', champs: [
      { nom: 'siteId', label: 'Site du rendez-vous', type: 'site' }, { nom: 'date', label: 'Jour du rendez-vous', type: 'date' },
      { nom: 'heure', label: 'Heure (HH:MM)', type: 'time' }, { nom: 'contenu', label: 'Texte de la convocation', type: 'textarea' },
      { nom: 'remiseLe', label: 'Remise le (facultatif)', type: 'date', facultatif: true, defaut: '' }] },
    REALISER_DIAGNOSTIC: { titre: 'Enregistrer l\'entretien diagnostic', mutation: 'realiserDiagnostic(parcoursId: $id, diagnostic: $input)', type: 'DiagnosticInput!', racine: 'diagnostic', champs: [
      { nom: 'date', label: 'Jour de l\'entretien', type: 'date' }, { nom: 'professionnel', label: 'Professionnel AGIR', type: 'text' },
      { nom: 'axes', label: 'Observations', type: 'axes', cle: 'observations' },
      { nom: 'prioriteRecommandee', label: 'Priorité recommandée', type: 'select', options: PRIORITES },
      { nom: 'signeParBeneficiaire', label: 'Diagnostic signé par la personne', type: 'checkbox' }] },
    TENIR_COMMISSION: { titre: 'Tenir la commission d\'attribution', mutation: 'tenirCommission(parcoursId: $id, commission: $input)', type: 'CommissionInput!', racine: 'commission', champs: [
      { nom: 'date', label: 'Jour de la commission', type: 'date' }, { nom: 'priorite', label: 'Priorité', type: 'select', options: PRIORITES },
      { nom: 'bassinDeVie', label: 'Bassin de vie', type: 'text' }, { nom: 'partenaireIds', label: 'Partenaires', type: 'structures' },
      { nom: 'referentDroitsLogementId', label: 'Référent Droits & Logement', type: 'referent', domaine: 'DROITS_LOGEMENT', facultatif: true },
      { nom: 'referentEmploiFormationId', label: 'Référent Emploi & Formation', type: 'referent', domaine: 'EMPLOI_FORMATION', facultatif: true }] },
    CONTRACTUALISER: { titre: 'Enregistrer le contrat d\'engagement réciproque', mutation: 'contractualiser(parcoursId: $id, contrat: $input)', type: 'ContratInput!', racine: 'contrat', champs: [
      { nom: 'dateSignature', label: 'Jour de la signature', type: 'date' }, { nom: 'dateFin', label: 'Fin du contrat (facultatif, 24 mois au plus)', type: 'date', facultatif: true, defaut: '' },
      { nom: 'plan', label: 'Objectifs (un par ligne)', type: 'plan' }] },
    SORTIR: { titre: 'Enregistrer la sortie', mutation: 'sortir(parcoursId: $id, sortie: $input)', type: 'SortieInput!', racine: 'sortie', gardes: { CRITERES_SORTIE: 'date' }, champs: [
      { nom: 'date', label: 'Jour de la sortie', type: 'date' }, { nom: 'motif', label: 'Motif de la sortie', type: 'text' }] },
    REALISER_SUIVI_3_MOIS: { titre: 'Entretien de suivi à 3 mois', mutation: 'realiserSuivi(parcoursId: $id, suivi: $input)', type: 'SuiviInput!', racine: 'suivi', fixe: { echeance: 'TROIS_MOIS' }, gardes: { DELAI_SUIVI: 'date', DATE_SORTIE: 'date' }, champs: [
      { nom: 'date', label: 'Jour de l\'entretien', type: 'date' }, { nom: 'resultat', label: 'Ce qui en ressort', type: 'textarea' }] },
    REALISER_SUIVI_6_MOIS: { titre: 'Entretien de suivi à 6 mois', mutation: 'realiserSuivi(parcoursId: $id, suivi: $input)', type: 'SuiviInput!', racine: 'suivi', fixe: { echeance: 'SIX_MOIS' }, gardes: { DELAI_SUIVI: 'date', DATE_SORTIE: 'date' }, champs: [
      { nom: 'date', label: 'Jour de l\'entretien', type: 'date' }, { nom: 'resultat', label: 'Ce qui en ressort', type: 'textarea' }] },
    EXCLURE: { titre: 'Exclure du programme', mutation: 'exclure(parcoursId: $id, exclusion: $input)', type: 'ExclusionInput!', racine: 'exclusion', gardes: { MOTIF_EXCLUSION: 'motif', REFUS_LOGEMENT: 'motif' }, champs: [
      { nom: 'date', label: 'Jour de l\'exclusion', type: 'date' }, { nom: 'motif', label: 'Motif', type: 'select', options: MOTIFS_EXCLUSION },
      { nom: 'commentaire', label: 'Commentaire (facultatif)', type: 'textarea', facultatif: true }] },
    REINTEGRER: { titre: 'Réintégrer (accord du représentant de l\'État)', mutation: 'reintegrer(parcoursId: $id, reintegration: $input)', type: 'ReintegrationInput!', racine: 'reintegration', gardes: { REFERENCE_ACCORD_PREFET: 'referenceAccordPrefet', DEJA_REINTEGRE: 'date' }, champs: [
      { nom: 'date', label: 'Jour de la réintégration', type: 'date' }, { nom: 'referenceAccordPrefet', label: 'Référence de l\'accord', type: 'text' },
      { nom: 'motif', label: 'Motif (facultatif)', type: 'text', facultatif: true }] },
  };
  ['CLORE', 'CONSTATER_FIN_DE_DROITS', 'REFUSER_CONTRAT', 'ABANDONNER'].forEach(function (action) {
    var mutation = { CLORE: 'clore', CONSTATER_FIN_DE_DROITS: 'constaterFinDeDroits', REFUSER_CONTRAT: 'refuserContrat', ABANDONNER: 'abandonner' }[action];
    var titre = { CLORE: 'Clore le parcours', CONSTATER_FIN_DE_DROITS: 'Constater la fin de droits', REFUSER_CONTRAT: 'La personne refuse le contrat (définitif)', ABANDONNER: 'La personne arrête l\'accompagnement (définitif)' }[action];
    ACTIONS[action] = { titre: titre, mutation: mutation + '(parcoursId: $id, fin: $input)', type: 'FinParcoursInput!', racine: 'fin', gardes: { DATE_FIN_CONTRAT: 'date' }, champs: [
      { nom: 'date', label: 'Jour', type: 'date' }, { nom: 'motif', label: 'Motif (facultatif)', type: 'text', facultatif: true }] };
  });
  /** Writes that do not move the parcours: their own forms, whatever the statut allows them. */
  var ECRITURES = {
    EVALUATION: { titre: 'Enregistrer une évaluation', mutation: 'enregistrerEvaluation(parcoursId: $id, evaluation: $input)', type: 'EvaluationInput!', racine: 'evaluation', champs: [
      { nom: 'type', label: 'Évaluation', type: 'select', options: TYPES_EVALUATION }, { nom: 'date', label: 'Jour de l\'évaluation', type: 'date' },
      { nom: 'axes', label: 'Appréciation', type: 'axes', cle: 'appreciation', facultatif: true }],
      quand: function (p) { return ['DIAGNOSTIC_REALISE', 'COMMISSION_REALISEE', 'CONTRACTUALISE', 'SORTI', 'SUIVI_3_MOIS', 'SUIVI_6_MOIS'].indexOf(p.statut) !== -1; } },
    BINOME: { titre: 'Désigner ou changer le binôme', mutation: 'designerBinome(parcoursId: $id, referentDroitsLogementId: $referentDroitsLogementId, referentEmploiFormationId: $referentEmploiFormationId)',
      arguments: { referentDroitsLogementId: 'ID', referentEmploiFormationId: 'ID' }, champs: [
        { nom: 'referentDroitsLogementId', label: 'Référent Droits & Logement', type: 'referent', domaine: 'DROITS_LOGEMENT', facultatif: true },
        { nom: 'referentEmploiFormationId', label: 'Référent Emploi & Formation', type: 'referent', domaine: 'EMPLOI_FORMATION', facultatif: true }],
      quand: function (p) { return p.statut === 'COMMISSION_REALISEE' || p.statut === 'CONTRACTUALISE'; } },
    CONSENTEMENT: { titre: 'Enregistrer le consentement au partage', mutation: 'enregistrerConsentement(parcoursId: $id, domaine: $domaine, donneLe: $donneLe)', retour: 'domaine',
      arguments: { domaine: 'DomaineAccompagnement!', donneLe: 'Date!' }, champs: [
        { nom: 'domaine', label: 'Domaine', type: 'select', options: { DROITS_LOGEMENT: DOMAINES.DROITS_LOGEMENT, EMPLOI_FORMATION: DOMAINES.EMPLOI_FORMATION } },
        { nom: 'donneLe', label: 'Donné le', type: 'date' }] },
    RETRAIT_CONSENTEMENT: { titre: 'Enregistrer le retrait du consentement', mutation: 'retirerConsentement(parcoursId: $id, domaine: $domaine, retireLe: $retireLe)', retour: 'domaine',
      arguments: { domaine: 'DomaineAccompagnement!', retireLe: 'Date!' }, champs: [
        { nom: 'domaine', label: 'Domaine', type: 'select', options: { DROITS_LOGEMENT: DOMAINES.DROITS_LOGEMENT, EMPLOI_FORMATION: DOMAINES.EMPLOI_FORMATION } },
        { nom: 'retireLe', label: 'Retiré le', type: 'date' }] },
  };

  /** Sites, structures and referents of the département, for the forms that choose one. */
  var referentiel = { sites: [], structures: [], referents: { DROITS_LOGEMENT: [], EMPLOI_FORMATION: [] } };

  function sectionActions(ctx) {
    var c = claims();
    if (!estCoordination(c)) {
      return section('actions', 'Actions', [el('p', { class: 'note', text: 'Les étapes du parcours sont enregistrées par la coordination : votre rôle ne permet aucune action ici. Les données de votre domaine s\'enregistrent dans l\'outil de votre association.' })]);
    }
    var p = ctx.p;
    var permises = (p.actionsPermises || []).filter(function (a) { return ACTIONS[a]; });
    var formulaires = permises.map(function (a) { return formulaire(ctx, a, ACTIONS[a]); });
    Object.keys(ECRITURES).forEach(function (k) { if (!ECRITURES[k].quand || ECRITURES[k].quand(p)) formulaires.push(formulaire(ctx, k, ECRITURES[k])); });
    return section('actions', 'Actions', [
      el('p', { class: 'note', text: permises.length ? 'Les actions que le statut « ' + libelle(STATUTS, p.statut) + ' » permet, et les enregistrements du parcours.' : 'Le statut « ' + libelle(STATUTS, p.statut) + ' » ne permet plus de changer d\'étape.' }),
    ].concat(formulaires));
  }

  function idChamp(action, nom) { return 'action-' + action.toLowerCase() + '-' + nom.replace(/[^a-zA-Z0-9]+/g, '-'); }

  /** One field of a form: its label, its control(s), and the place of its error message. */
  function controle(action, spec, def) {
    var id = idChamp(action, def.nom);
    var chemin = (spec.racine ? spec.racine + '.' : '') + def.nom;
    var erreur = el('p', { class: 'erreur-champ', id: id + '-erreur', hidden: true });
    var requis = !def.facultatif;
    var controleSimple = function (node) {
      node.setAttribute('id', id);
      node.setAttribute('name', def.nom);
      node.setAttribute('data-chemin', chemin);
      if (requis && def.type !== 'checkbox') node.setAttribute('required', '');
      return el('div', { class: 'champ' + (def.type === 'checkbox' ? ' case' : ''), 'data-chemin': chemin }, def.type === 'checkbox'
        ? [node, el('label', { for: id, text: def.label }), erreur]
        : [el('label', { for: id, text: def.label }), node, erreur]);
    };
    var options = function (table, vide) {
      return (vide ? [el('option', { value: '', text: vide })] : []).concat(Object.keys(table).map(function (k) { return el('option', { value: k, text: table[k] }); }));
    };
    switch (def.type) {
      case 'date': return controleSimple(el('input', { type: 'date', value: def.defaut != null ? def.defaut : jour() }));
      case 'time': return controleSimple(el('input', { type: 'time', value: '09:30' }));
      case 'text': return controleSimple(el('input', { type: 'text' }));
      case 'textarea': return controleSimple(el('textarea', { rows: '3' }));
      case 'checkbox': return controleSimple(el('input', { type: 'checkbox' }));
      case 'select': return controleSimple(el('select', {}, options(def.options, def.facultatif ? '—' : null)));
      case 'site': return controleSimple(el('select', { 'data-referentiel': 'sites' }, [el('option', { value: '', text: 'Choisissez un site' })]));
      case 'referent': return controleSimple(el('select', { 'data-referentiel': 'referents', 'data-domaine': def.domaine }, [el('option', { value: '', text: 'Inchangé / non désigné' })]));
      case 'structures':
        return el('fieldset', { class: 'champ groupe-cases', 'data-chemin': chemin, id: id, 'data-referentiel': 'structures' }, [el('legend', { text: def.label }), erreur]);
      case 'axes':
      case 'plan':
        return el('fieldset', { class: 'champ', 'data-chemin': chemin, id: id }, [el('legend', { text: def.label })].concat(Object.keys(AXES).map(function (axe) {
          var sid = id + '-' + axe.toLowerCase();
          return el('div', { class: 'champ', 'data-axe': axe }, [
            el('label', { for: sid, text: AXES[axe] }),
            el('textarea', { id: sid, name: def.nom + '-' + axe, rows: '2', 'data-axe': axe, required: def.type === 'axes' && !def.facultatif }),
            el('p', { class: 'erreur-champ', id: sid + '-erreur', hidden: true }),
          ]);
        })).concat([erreur]));
    }
    throw new Error('type de champ inconnu : ' + def.type);
  }

  function formulaire(ctx, action, spec) {
    var idForm = 'form-action-' + action.toLowerCase();
    var general = el('p', { class: 'erreur-champ', id: idForm + '-erreur', role: 'alert', hidden: true });
    var form = el('form', { id: idForm, class: 'action', 'data-action': action, novalidate: false }, [
      el('h4', { text: spec.titre }),
    ].concat(spec.champs.map(function (def) { return controle(action, spec, def); })).concat([
      general,
      el('div', { class: 'boutons' }, [el('button', { type: 'submit', text: 'Enregistrer' })]),
    ]));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      envoyer(ctx, action, spec, form).catch(function (e) { montrerErreurs(form, spec, [{ message: e.message }]); });
    });
    return el('details', { class: 'action', 'data-action': action }, [el('summary', { text: spec.titre }), form]);
  }

  /** The mutation's variables from the form's values, and the path of each value for the errors. */
  function variablesDe(action, spec, form) {
    var valeurs = {};
    spec.champs.forEach(function (def) {
      var id = idChamp(action, def.nom);
      var chemin = (spec.racine ? spec.racine + '.' : '') + def.nom;
      if (def.type === 'axes' || def.type === 'plan') {
        var liste = [];
        Object.keys(AXES).forEach(function (axe) {
          var zone = $(id + '-' + axe.toLowerCase());
          var v = zone.value.trim();
          if (!v) return;
          var entree = { axe: axe };
          if (def.type === 'plan') entree.objectifs = v.split('\n').map(function (l) { return l.trim(); }).filter(Boolean);
          else entree[def.cle] = v;
          // The hub names a refused axis by its index in the list sent.
          var k = liste.length;
          zone.setAttribute('data-chemin', chemin + '[' + k + ']' + (def.type === 'plan' ? '.objectifs' : '.' + def.cle));
          zone.closest('.champ').setAttribute('data-chemin', chemin + '[' + k + ']');
          liste.push(entree);
        });
        valeurs[def.nom] = liste;
      } else if (def.type === 'structures') {
        valeurs[def.nom] = Array.prototype.filter.call(form.querySelectorAll('#' + id + ' input[type=checkbox]'), function (c) { return c.checked; }).map(function (c) { return c.value; });
      } else if (def.type === 'checkbox') {
        valeurs[def.nom] = $(id).checked;
      } else {
        var v = $(id).value.trim();
        if (v || !def.facultatif) valeurs[def.nom] = v || null;
        else if (spec.arguments) valeurs[def.nom] = null;
      }
    });
    Object.assign(valeurs, spec.fixe || {});
    return valeurs;
  }

  async function envoyer(ctx, action, spec, form) {
    effacerErreurs(form);
    var valeurs = variablesDe(action, spec, form);
    var declarations = ['$id: ID!'];
    var variables = { id: ctx.p.id };
    if (spec.arguments) Object.keys(spec.arguments).forEach(function (k) { declarations.push('$' + k + ': ' + spec.arguments[k]); variables[k] = valeurs[k]; });
    else { declarations.push('$input: ' + spec.type); variables.input = valeurs; }
    var query = 'mutation Console' + action.replace(/_/g, '') + '(' + declarations.join(', ') + ') {\n  resultat: ' + spec.mutation + ' { ' + (spec.retour || 'id statut') + ' }\n}';
    var bouton = form.querySelector('button[type=submit]');
    bouton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    var reponse;
    try { reponse = await graphql(query, variables); } finally { bouton.disabled = false; form.removeAttribute('aria-busy'); }
    if (reponse.errors.length || !reponse.data || !reponse.data.resultat) {
      montrerErreurs(form, spec, reponse.errors.length ? reponse.errors : [{ message: 'Rien n\'a été enregistré.' }]);
      return;
    }
    var r = reponse.data.resultat;
    var message = spec.titre + ' : enregistré' + (r.statut ? ' (statut ' + libelle(STATUTS, r.statut) + ').' : '.');
    await vueParcours(ctx.p.id, message);
    $('titre-parcours').focus();
  }

  function effacerErreurs(form) {
    form.querySelectorAll('.erreur-champ').forEach(function (p) { p.textContent = ''; p.hidden = true; });
    form.querySelectorAll('[aria-invalid]').forEach(function (c) { c.removeAttribute('aria-invalid'); c.removeAttribute('aria-describedby'); });
  }

  /**
   * Puts each error next to the field it names (`extensions.field`, or the field a guard is
   * about, or the path a variable error quotes); the others at the foot of the form.
   */
  function montrerErreurs(form, spec, errors) {
    var premier = null;
    errors.forEach(function (e) {
      var ext = e.extensions || {};
      var chemin = ext.field || (ext.garde && spec.gardes && spec.gardes[ext.garde] && (spec.racine ? spec.racine + '.' : '') + spec.gardes[ext.garde]);
      if (!chemin) {
        var m = /at "input\.([^"]+)"/.exec(e.message) || /"\$([a-zA-Z]+)"/.exec(e.message);
        if (m) chemin = (spec.racine && m[0].indexOf('input.') !== -1 ? spec.racine + '.' : '') + m[1];
      }
      var cible = null;
      // The field itself, or the nearest enclosing one (`commission.partenaireIds[0]` → `commission.partenaireIds`);
      // a guard of the state machine names the input's field without its root (`date`).
      if (chemin && spec.racine && chemin.indexOf(spec.racine + '.') !== 0 && form.querySelector('[data-chemin="' + spec.racine + '.' + chemin.replace(/["\\]/g, '') + '"]')) chemin = spec.racine + '.' + chemin;
      var c = chemin;
      while (c && !cible) {
        cible = form.querySelector('[data-chemin="' + c.replace(/["\\]/g, '') + '"]');
        var parent = c.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
        c = parent === c ? '' : parent;
      }
      var texte = e.message + (ext.raison && e.message.indexOf(ext.raison) === -1 ? ' ' + ext.raison : '');
      var zone;
      var controleFautif = null;
      if (cible) {
        var bloc = cible.classList.contains('champ') ? cible : cible.closest('.champ');
        zone = Array.prototype.filter.call(bloc.children, function (x) { return x.classList.contains('erreur-champ'); })[0];
        controleFautif = bloc.matches('fieldset') ? bloc : bloc.querySelector('input, select, textarea');
      }
      if (!zone) zone = form.querySelector('#' + form.id + '-erreur');
      zone.textContent = zone.textContent ? zone.textContent + ' ' + texte : texte;
      zone.hidden = false;
      if (controleFautif) {
        controleFautif.setAttribute('aria-invalid', 'true');
        controleFautif.setAttribute('aria-describedby', zone.id);
        premier = premier || controleFautif;
      }
    });
    (premier && premier.matches('input, select, textarea') ? premier : form.querySelector('#' + form.id + '-erreur:not([hidden])') || premier || form).focus();
    annoncer('Rien n\'a été enregistré : ' + errors.map(function (e) { return e.message; }).join(' '));
  }

  /** Fills the forms' lists of sites, structures and referents of the parcours's département. */
  async function chargerReferentiel(ctx) {
    var besoin = document.querySelectorAll('#actions [data-referentiel]');
    if (!besoin.length) return;
    var reponse = await graphql('query ConsoleReferentiel($dep: String!) {\n' +
      '  sites(departement: $dep) { id nom }\n' +
      '  structures(departement: $dep) { id nom membreGroupement }\n' +
      // The referents directory of the département, with each one's running parcours (for a commission).
      '  referents(departement: $dep) { id nom prenom domaine parcoursEnCours structure { nom } }\n}', { dep: ctx.p.departement });
    var d = reponse.data || {};
    referentiel.sites = d.sites || [];
    referentiel.structures = d.structures || [];
    referentiel.referents = { DROITS_LOGEMENT: [], EMPLOI_FORMATION: [] };
    (d.referents || []).forEach(function (r) { if (referentiel.referents[r.domaine]) referentiel.referents[r.domaine].push(r); });
    besoin.forEach(function (controle) {
      var type = controle.getAttribute('data-referentiel');
      if (type === 'sites') {
        referentiel.sites.forEach(function (s) { controle.appendChild(el('option', { value: s.id, text: s.nom, selected: ctx.p.site && ctx.p.site.id === s.id })); });
      } else if (type === 'referents') {
        referentiel.referents[controle.getAttribute('data-domaine')].forEach(function (r) {
          var charge = r.parcoursEnCours + ' parcours en cours';
          controle.appendChild(el('option', { value: r.id, text: r.prenom + ' ' + r.nom + (r.structure ? ' (' + r.structure.nom + ', ' + charge + ')' : ' (' + charge + ')') }));
        });
      } else if (type === 'structures') {
        var erreur = controle.querySelector('.erreur-champ');
        referentiel.structures.forEach(function (s) {
          var id = controle.id + '-' + s.id;
          controle.insertBefore(el('div', { class: 'case' }, [el('input', { type: 'checkbox', id: id, value: s.id }), el('label', { for: id, text: s.nom + (s.membreGroupement ? '' : ' (partenaire)') })]), erreur);
        });
      }
    });
  }

  // ---------------------------------------------------------------- page

  function qui() {
    var c = claims();
    if (!c) { $('qui').hidden = true; return; }
    $('qui').textContent = 'Connecté : ' + (c.name || 'inconnu') + ' · ' + c.roles.join(', ') + ' · départements ' + c.departements.join(', ');
    $('qui').hidden = false;
    var select = $('departement');
    var choisi = etat.params.get('departement') || '';
    var deps = c.departements.length ? c.departements : ['44', '85'];
    select.replaceChildren.apply(select, [el('option', { value: '', text: 'Tous mes départements' })].concat(deps.map(function (d) { return el('option', { value: d, text: d }); })));
    if (choisi && deps.indexOf(choisi) === -1) select.appendChild(el('option', { value: choisi, text: choisi }));
    select.value = choisi;
  }

  function init() {
    $('jour').value = etat.params.get('date') || aujourdhui();
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) $('token').value = token;
    qui();
    $('session').addEventListener('submit', function (event) {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('token').value.trim().replace(/^Bearer\s+/i, ''));
      qui();
      var params = new URLSearchParams(location.search);
      params.set('date', $('jour').value);
      if ($('departement').value) params.set('departement', $('departement').value); else params.delete('departement');
      naviguer('/console?' + params.toString(), true);
    });
    $('oublier').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      $('token').value = '';
      qui();
      annoncer('Jeton effacé de cet onglet.');
    });
    ['filtre-regle', 'filtre-niveau', 'filtre-site', 'filtre-referent'].forEach(function (id) { $(id).addEventListener('change', filtrer); });
    $('filtres').addEventListener('submit', function (event) { event.preventDefault(); filtrer(); });
    $('form-recherche').addEventListener('submit', rechercher);
    // Links to the console's own views change the view without reloading the page.
    document.addEventListener('click', function (event) {
      var a = event.target.closest && event.target.closest('a[href^="/console"]');
      if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      naviguer(a.getAttribute('href'));
    });
    window.addEventListener('popstate', function () { etat.params = new URLSearchParams(location.search); afficherVue(true); });
    afficherVue(false);
  }

  window.AgirConsole = { REQUETE_PARCOURS: REQUETE_PARCOURS, RECHERCHE: RECHERCHE };
  document.addEventListener('DOMContentLoaded', init);
})();
