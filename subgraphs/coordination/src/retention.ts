import { addMonths, type IsoDate } from '@agir/common';
import type { DataSource } from 'typeorm';

/** The statuts after which nothing more happens in a parcours. */
export const STATUTS_TERMINES = ['CLOS', 'REFUS_CONTRACTUALISATION', 'ABANDON', 'EXCLU', 'FIN_DE_DROITS'] as const;

/**
 * The retention job: the identity of a person whose parcours ended more than `annees` (default 2)
 * ago since the last contact is removed, and the free text of the parcours's steps cleared, while
 * what the statistics need stays (statut, dates, site, département, birth year for the age band,
 * country of birth, commune, sex). The records merged into the person's (and the identity the
 * merge journal kept of them) are anonymised with it. Runs in one transaction flagged as an
 * anonymisation, so that the change journal records which fields changed but not the values
 * removed.
 *
 * Run it with `npm run anonymise` (DATABASE_URL = Coordination's database); documented in README.
 */
export async function anonymiserParcoursTermines(db: DataSource, options: { aujourdhui: IsoDate; annees?: number }): Promise<{ parcours: string[] }> {
  const limite = addMonths(options.aujourdhui, -12 * (options.annees ?? 2));
  return db.transaction(async (m) => {
    await m.query(`SELECT set_config('agir.anonymisation', 'on', true), set_config('agir.user_id', 'job:anonymisation', true)`);
    const rows = (await m.query(
      `SELECT p.id, p.beneficiaire_id FROM parcours p JOIN beneficiaire b ON b.id = p.beneficiaire_id
       WHERE p.statut = ANY($1) AND b.anonymise_le IS NULL
         AND greatest(p.date_orientation, p.date_diagnostic, p.date_commission, p.date_contrat, p.date_sortie,
               (SELECT max(t.date_effet) FROM transition_parcours t WHERE t.parcours_id = p.id),
               (SELECT max(s.date_entretien) FROM entretien_suivi s WHERE s.parcours_id = p.id)) < $2
         -- A person with another parcours still in progress keeps their identity.
         AND NOT EXISTS (SELECT 1 FROM parcours autre WHERE autre.beneficiaire_id = p.beneficiaire_id AND NOT (autre.statut = ANY($1)))`,
      [STATUTS_TERMINES, limite],
    )) as { id: string; beneficiaire_id: string }[];
    if (rows.length === 0) return { parcours: [] };
    const parcours = rows.map((r) => r.id);
    const beneficiaires = [...new Set(rows.map((r) => r.beneficiaire_id))];
    await m.query(
      `UPDATE beneficiaire SET nom = 'ANONYMISÉ', prenom = 'ANONYMISÉ', telephone = NULL, email = NULL,
         date_naissance = make_date(extract(year FROM date_naissance)::int, 1, 1), anonymise_le = now()
       WHERE id = ANY($1) OR fusionne_dans = ANY($1)`,
      [beneficiaires],
    );
    // The records merged into theirs, and the identity the merge journal kept of them.
    await m.query(
      `UPDATE fusion_beneficiaire SET identite_absorbee = identite_absorbee || jsonb_build_object('nom', 'ANONYMISÉ', 'prenom', 'ANONYMISÉ', 'telephone', null, 'email', null,
         'dateNaissance', left(identite_absorbee ->> 'dateNaissance', 4) || '-01-01'), motif = ''
       WHERE conserve_id = ANY($1)`,
      [beneficiaires],
    );
    // The OFII file number identifies the person too.
    await m.query('UPDATE parcours SET numero_dossier_ofii = NULL WHERE id = ANY($1)', [parcours]);
    // Free text written about the person in the steps.
    await m.query(`UPDATE convocation SET contenu = '' WHERE parcours_id = ANY($1)`, [parcours]);
    await m.query(
      `UPDATE diagnostic SET axes = (SELECT coalesce(jsonb_agg(a - 'observations' || '{"observations": null}'), '[]') FROM jsonb_array_elements(axes) a)
       WHERE parcours_id = ANY($1) AND jsonb_typeof(axes) = 'array'`,
      [parcours],
    );
    await m.query(`UPDATE entretien_suivi SET resultat = '' WHERE parcours_id = ANY($1)`, [parcours]);
    return { parcours };
  });
}
