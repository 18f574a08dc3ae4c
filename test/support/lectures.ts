/**
 * The reads whose cost must follow the size of a département, as GraphQL documents shared by the
 * plan test (`test/sql-plans.test.ts`) and the benchmark of the unified read (`bench/unified.ts`).
 */

/** A département-year's indicators from the three domains, with the département profile. */
export const INDICATEURS_PROFIL = `query IndicateursProfil($departement: String!, $du: Date!, $au: Date!) {
  indicateurs(departement: $departement, du: $du, au: $au) {
    effectifs { orientes diagnostiques signataires enAccompagnementFin exclusions abandons suivis3Mois suivis6Mois masque }
    orientationsParCanal { canal nombre masque }
    sortiesParMotif { motif nombre masque }
    exclusionsParMotif { motif nombre masque }
    delaiDiagnostic { nombre medianeJours percentile90Jours cible dansLaCible { numerateur denominateur taux } }
    delaiContractualisation { medianeJours percentile90Jours dansLaCible { numerateur denominateur taux } }
    maintien { numerateur denominateur taux }
    parMois { mois orientes diagnostiques signataires sorties }
    droitsLogement {
      situationsEntree { categorie nombre } accesLogement { numerateur denominateur taux }
      demarches { type statut nombre } delaiOuvertureCaf { jours nombre } demarchesBloquees { type motif nombre }
    }
    droitsLogementParMois { mois entrees entreesLogementSortie droitsObtenus }
    emploiFormation {
      parcoursSuivis situationEntree { categorie nombre } situationActuelle { categorie nombre }
      accesEmploiFormation { numerateur denominateur taux objectif atteint }
      progressionLangue { parcoursEvalues parcoursEnProgression niveauxGagnes } freins { type identifies leves } contratsParType { type nombre }
    }
    emploiFormationParMois { mois entrees contratsCommences formationsCommencees }
    profil {
      stockDebut stockFin entrees sorties solde entreesMensuellesMoyennes population ageMoyen
      parSituationFamiliale { situation nombre } parTrancheAge { tranche nombre } parSexe { sexe nombre }
      parPays { pays nombre } parCommuneResidence { commune { codeInsee nom } nombre }
    }
    profilFormation { diagnostiquees avecDiplomeEtranger avecDiplomeReconnu parNiveau { niveau nombre } }
  }
}`;

/** The alerts of a département today. */
export const ALERTES = `query Alertes($departement: String!) {
  alertes(departement: $departement) { exclusionEvaluee alertes { parcours { id } code niveau dateEcheance } }
}`;

/** A page of the analysts' pseudonymised rows, with the count. */
export const ANALYSE = `query Analyse($filtre: AnalyseFiltre!, $first: Int) {
  analyseParcours(first: $first, filtre: $filtre) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { pseudonyme site { nom } statut canalOrientation moisOrientation trancheAge sexe paysNaissance dureeAccompagnementJours motifFin generalise } }
  }
}`;
