import type { Role } from '@agir/common';
import type { TokenClaims } from '../tokens';
import { DEFAULT_SEED } from './index';
import { Random } from './random';
import { buildReference } from './reference';

/**
 * One demo user per role, drawn from the demo's reference data (the same seed as `npm start`),
 * so that a referent's token names a referent who really has binômes in the demo.
 */
export function demoUsers(departement?: '44' | '85'): Record<Role, TokenClaims> {
  const reference = buildReference(new Random(DEFAULT_SEED));
  const ids = reference.structureIds;
  const scope = departement ? [departement] : ['44', '85'];
  const referent = (domaine: 'DROITS_LOGEMENT' | 'EMPLOI_FORMATION', role: Role): TokenClaims => {
    const r = reference.referents.find((x) => x.domaine === domaine && x.departement === (departement ?? '44'));
    if (!r) throw new Error(`No demo referent for ${domaine} in ${departement ?? '44'}`);
    return {
      sub: `demo-referent-${r.row.id}`,
      name: `${r.row.prenom} ${r.row.nom}`,
      structure: r.row.structureId,
      roles: [role],
      departements: [r.departement],
      referent: r.row.id,
    };
  };
  return {
    REFERENT_DROITS_LOGEMENT: referent('DROITS_LOGEMENT', 'REFERENT_DROITS_LOGEMENT'),
    REFERENT_EMPLOI_FORMATION: referent('EMPLOI_FORMATION', 'REFERENT_EMPLOI_FORMATION'),
    COORDINATION: { sub: 'demo-coordination', name: 'Coordination AGIR (démo)', structure: ids.GROUPE_SOS, roles: ['COORDINATION'], departements: scope },
    OFII: { sub: 'demo-ofii', name: 'Direction territoriale OFII (démo)', structure: ids.OFII, roles: ['OFII'], departements: scope },
    PRESCRIPTEUR: { sub: 'demo-prescripteur', name: 'AREAMS (démo)', structure: ids.AREAMS, roles: ['PRESCRIPTEUR'], departements: departement ? [departement] : ['85'] },
    ANALYSTE: { sub: 'demo-analyste', name: 'Analyste (démo)', structure: ids.GROUPE_SOS, roles: ['ANALYSTE'], departements: scope },
    ADMIN: { sub: 'demo-admin', name: 'Administration (démo)', structure: ids.GROUPE_SOS, roles: ['ADMIN'], departements: scope },
    DPO: { sub: 'demo-dpo', name: 'Déléguée à la protection des données (démo)', structure: ids.GROUPE_SOS, roles: ['DPO'], departements: scope },
  };
}
