/**
 * `Indicateurs.profilFormation`: the education level and foreign diplomas of the people the domain
 * follows in a département (the département profile of seed 004, « niveau de formation et de
 * qualification »), counted in one SQL statement and read under statistical secrecy by analysts.
 */
import { masquerSelon, secretSecondaire, secretStatistiqueApplicable } from '@agir/common/src/statistical-secrecy';
import type { NiveauFormation } from './entities';
import type { EmploiFormationContext } from './loaders';
import { LECTEURS_ENTITE, verifier } from './indicateurs';

const NIVEAUX: NiveauFormation[] = ['NON_SCOLARISE', 'PRIMAIRE', 'SECONDAIRE_SANS_DIPLOME', 'SECONDAIRE_DIPLOME', 'SUPERIEUR_BAC_2', 'SUPERIEUR_BAC_3', 'SUPERIEUR_BAC_5_ET_PLUS'];

interface LigneNiveau {
  niveau: NiveauFormation | null;
  nombre: number;
  etrangers: number;
  reconnus: number;
}

export async function profilFormation(ctx: EmploiFormationContext, ref: { departement: string; du: Date | string; au: Date | string }) {
  const { au } = verifier(ctx, ref, LECTEURS_ENTITE);
  const secret = secretStatistiqueApplicable(ctx.viewer.roles);
  // One row per level, and a total row (niveau NULL) for the foreign-diploma counts; each person's
  // diplomas aggregated once (a join), not looked up twice per person.
  const lignes = (await ctx.dataSource.query(
    `WITH diplomes AS (
       SELECT x.parcours_id, bool_or(x.reconnaissance <> 'NON_APPLICABLE') AS etranger, bool_or(x.reconnaissance = 'RECONNU') AS reconnu
         FROM diplome x JOIN dossier o ON o.parcours_id = x.parcours_id
        WHERE o.departement = $1 AND o.ouvert_le <= $2::date
        GROUP BY x.parcours_id),
     d AS (
       SELECT g.parcours_id, g.niveau_formation, coalesce(x.etranger, false) AS etranger, coalesce(x.reconnu, false) AS reconnu
         FROM diagnostic_socio_professionnel g JOIN dossier o ON o.parcours_id = g.parcours_id
         LEFT JOIN diplomes x ON x.parcours_id = g.parcours_id
        WHERE o.departement = $1 AND o.ouvert_le <= $2::date)
     SELECT niveau_formation AS niveau, count(*)::int AS nombre,
            (count(*) FILTER (WHERE etranger))::int AS etrangers, (count(*) FILTER (WHERE reconnu))::int AS reconnus
       FROM d GROUP BY GROUPING SETS ((niveau_formation), ())`,
    [ref.departement, au],
  )) as LigneNiveau[];
  const total = lignes.find((l) => l.niveau === null) ?? { niveau: null, nombre: 0, etrangers: 0, reconnus: 0 };
  const nombre = (niveau: NiveauFormation) => lignes.find((l) => l.niveau === niveau)?.nombre ?? 0;
  // The levels add up to the people diagnosed; the diplomas are a part of them, and the recognised a part of those.
  const table: Record<string, number> = { diagnostiquees: total.nombre, etrangers: total.etrangers, reconnus: total.reconnus };
  for (const niveau of NIVEAUX) table[niveau] = nombre(niveau);
  const masques = secret
    ? secretSecondaire(table, [
        { total: 'diagnostiquees', cellules: NIVEAUX },
        { total: 'diagnostiquees', cellules: ['etrangers'], reste: true },
        { total: 'etrangers', cellules: ['reconnus'], reste: true },
      ])
    : new Set<string>();
  const comptes = masquerSelon(
    { diagnostiquees: total.nombre, avecDiplomeEtranger: total.etrangers, avecDiplomeReconnu: total.reconnus },
    { diagnostiquees: 'diagnostiquees', avecDiplomeEtranger: 'etrangers', avecDiplomeReconnu: 'reconnus' },
    masques,
  );
  const parNiveau = NIVEAUX.map((niveau) => masquerSelon({ niveau, nombre: nombre(niveau) }, { nombre: niveau }, masques));
  return { ...comptes, parNiveau, masque: comptes.masque || parNiveau.some((n) => n.masque) };
}
