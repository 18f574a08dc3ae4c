import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The parcours from orientation to follow-up: the append-only history of its transitions, the
 * content of each step (convocation, diagnostic, commission, contract, evaluations, follow-ups),
 * fiches de liaison, collective workshops and partnership conventions. Every new parcours column
 * is nullable, so rows written before this migration (and the demo generator) stay valid.
 */
export class ParcoursEtapes1700000001000 implements MigrationInterface {
  name = 'ParcoursEtapes1700000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE parcours
        ADD COLUMN date_fin_contrat date,
        ADD COLUMN date_reintegration date,
        ADD COLUMN reference_accord_prefet text,
        ADD COLUMN reference_instruction_prefet text,
        ADD COLUMN accord_ofii boolean,
        ADD COLUMN motif_fin text,
        ADD COLUMN motif_exclusion text CHECK (motif_exclusion IN ('DEUX_REFUS_LOGEMENT','VIOLENCE_MENACES','NON_ADHESION','COMPORTEMENT_DELICTUEUX')),
        ADD COLUMN domicilie_departement boolean,
        ADD COLUMN reside_departement boolean,
        ADD COLUMN logement_durable boolean,
        ADD COLUMN emploi_durable boolean,
        ADD COLUMN volontaire boolean`);
    await q.query(`
      ALTER TABLE beneficiaire
        ADD COLUMN lien_rejoignant text CHECK (lien_rejoignant IN ('CONJOINT','ENFANT_MINEUR','PARENT')),
        ADD COLUMN bpi_beneficiaire_id uuid REFERENCES beneficiaire(id),
        ADD CONSTRAINT beneficiaire_rejoignant_lien CHECK (bpi_beneficiaire_id IS NULL OR (rejoignant AND lien_rejoignant IS NOT NULL))`);

    // The history: one row per transition, written in the same transaction as the statut, and
    // never updated or deleted (the trigger refuses it, whoever the caller).
    await q.query(`
      CREATE TABLE transition_parcours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES parcours(id),
        action text NOT NULL,
        statut_avant text,
        statut_apres text NOT NULL,
        date_effet date NOT NULL,
        auteur_id text NOT NULL,
        auteur_nom text,
        auteur_structure uuid NOT NULL,
        motif text,
        reference text,
        enregistre_le timestamptz NOT NULL DEFAULT clock_timestamp(),
        sequence bigserial NOT NULL
      )`);
    await q.query('CREATE INDEX transition_parcours_parcours_idx ON transition_parcours (parcours_id, sequence)');
    await q.query(`
      CREATE FUNCTION transition_parcours_immuable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'transition_parcours is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER transition_parcours_immuable BEFORE UPDATE OR DELETE ON transition_parcours
      FOR EACH ROW EXECUTE FUNCTION transition_parcours_immuable()`);

    await q.query(`
      CREATE TABLE convocation (
        parcours_id uuid PRIMARY KEY REFERENCES parcours(id),
        site_id uuid NOT NULL REFERENCES site(id),
        date_rdv date NOT NULL,
        heure text NOT NULL CHECK (heure ~ '^([01]\\d|2[0-3]):[0-5]\\d$'),
        contenu text NOT NULL,
        remise_le date NOT NULL
      )`);
    await q.query(`
      CREATE TABLE diagnostic (
        parcours_id uuid PRIMARY KEY REFERENCES parcours(id),
        date_diagnostic date NOT NULL,
        professionnel text NOT NULL,
        axes jsonb NOT NULL,
        priorite_recommandee text NOT NULL CHECK (priorite_recommandee IN ('DROITS_LOGEMENT','EMPLOI_FORMATION','LES_DEUX')),
        signe_par_beneficiaire boolean NOT NULL
      )`);
    await q.query(`
      CREATE TABLE commission (
        parcours_id uuid PRIMARY KEY REFERENCES parcours(id),
        date_commission date NOT NULL,
        priorite text NOT NULL CHECK (priorite IN ('DROITS_LOGEMENT','EMPLOI_FORMATION','LES_DEUX')),
        bassin_de_vie text NOT NULL,
        partenaire_ids uuid[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`
      CREATE TABLE contrat_engagement (
        parcours_id uuid PRIMARY KEY REFERENCES parcours(id),
        date_signature date NOT NULL,
        date_fin date NOT NULL CHECK (date_fin > date_signature AND date_fin <= date_signature + interval '24 months'),
        plan jsonb NOT NULL
      )`);
    await q.query(`
      CREATE TABLE evaluation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcours_id uuid NOT NULL REFERENCES parcours(id),
        type text NOT NULL CHECK (type IN ('ENTREE','MI_PARCOURS','SORTIE')),
        date_evaluation date NOT NULL,
        axes jsonb NOT NULL
      )`);
    await q.query('CREATE INDEX evaluation_parcours_idx ON evaluation (parcours_id, date_evaluation)');
    await q.query(`
      CREATE TABLE entretien_suivi (
        parcours_id uuid NOT NULL REFERENCES parcours(id),
        echeance text NOT NULL CHECK (echeance IN ('TROIS_MOIS','SIX_MOIS')),
        date_entretien date NOT NULL,
        resultat text NOT NULL,
        PRIMARY KEY (parcours_id, echeance)
      )`);
    await q.query(`
      CREATE TABLE atelier (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        date_atelier date NOT NULL,
        site_id uuid NOT NULL REFERENCES site(id),
        departement text NOT NULL,
        theme text NOT NULL CHECK (theme IN ('INSERTION_PROFESSIONNELLE','DROITS_SOCIAUX','MOBILITE','NUMERIQUE','LOGEMENT','LANGUE_FRANCAISE','AUTRE')),
        intitule text
      )`);
    await q.query('CREATE INDEX atelier_departement_idx ON atelier (departement, date_atelier DESC)');
    await q.query(`
      CREATE TABLE atelier_participant (
        atelier_id uuid NOT NULL REFERENCES atelier(id),
        parcours_id uuid NOT NULL REFERENCES parcours(id),
        PRIMARY KEY (atelier_id, parcours_id)
      )`);
    await q.query('CREATE INDEX atelier_participant_parcours_idx ON atelier_participant (parcours_id)');
    await q.query(`
      CREATE TABLE fiche_liaison (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        departement text NOT NULL,
        statut text NOT NULL CHECK (statut IN ('EN_ATTENTE','VALIDEE','REFUSEE')),
        soumise_le date NOT NULL,
        soumise_par text NOT NULL,
        prescripteur_nom text NOT NULL,
        prescripteur_structure text NOT NULL,
        prescripteur_email text,
        prescripteur_telephone text,
        beneficiaire_id uuid NOT NULL REFERENCES beneficiaire(id),
        date_signature_cir date,
        domicilie_departement boolean,
        reside_departement boolean,
        logement_durable boolean,
        emploi_durable boolean,
        volontaire boolean,
        commentaire text,
        date_reponse date,
        motif_refus text,
        parcours_id uuid UNIQUE REFERENCES parcours(id),
        cree_le timestamptz NOT NULL DEFAULT now(),
        CHECK ((statut = 'EN_ATTENTE') = (date_reponse IS NULL)),
        CHECK (statut <> 'REFUSEE' OR motif_refus IS NOT NULL),
        CHECK ((statut = 'VALIDEE') = (parcours_id IS NOT NULL))
      )`);
    await q.query('CREATE INDEX fiche_liaison_departement_idx ON fiche_liaison (departement, statut, soumise_le)');
    await q.query(`
      CREATE TABLE convention (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        structure_id uuid NOT NULL REFERENCES structure(id),
        intitule text NOT NULL,
        etat text NOT NULL CHECK (etat IN ('EN_COURS','SIGNEE')),
        departement text,
        date_signature date,
        CHECK ((etat = 'SIGNEE') = (date_signature IS NOT NULL)),
        UNIQUE (structure_id, intitule)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['convention', 'fiche_liaison', 'atelier_participant', 'atelier', 'entretien_suivi', 'evaluation', 'contrat_engagement', 'commission', 'diagnostic', 'convocation', 'transition_parcours']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query('DROP FUNCTION transition_parcours_immuable()');
    await q.query('ALTER TABLE beneficiaire DROP CONSTRAINT beneficiaire_rejoignant_lien, DROP COLUMN bpi_beneficiaire_id, DROP COLUMN lien_rejoignant');
    await q.query(`ALTER TABLE parcours DROP COLUMN date_fin_contrat, DROP COLUMN date_reintegration, DROP COLUMN reference_accord_prefet,
      DROP COLUMN reference_instruction_prefet, DROP COLUMN accord_ofii, DROP COLUMN motif_fin, DROP COLUMN motif_exclusion,
      DROP COLUMN domicilie_departement, DROP COLUMN reside_departement, DROP COLUMN logement_durable, DROP COLUMN emploi_durable, DROP COLUMN volontaire`);
  }
}
