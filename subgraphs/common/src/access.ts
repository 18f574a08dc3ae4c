import { GraphQLError } from 'graphql';
import type { Role, Viewer } from './auth';
import { ErrorCode } from './errors';

/** A refusal: the caller is known but may not do this. The message says what would be needed. */
export function forbidden(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN, ...details } });
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return viewer.roles.some((r) => roles.includes(r));
}

/** Refuses unless the viewer has one of `roles`; `action` names what was attempted, in French. */
export function requireRole(viewer: Viewer, roles: Role[], action: string): void {
  if (!hasRole(viewer, ...roles)) {
    throw forbidden(`${action} est réservé aux rôles ${roles.join(', ')} ; votre jeton porte ${viewer.roles.join(', ')}.`, { requiredRoles: roles });
  }
}

/**
 * Refuses a département outside the viewer's scope (a 44 user never reaches an 85 parcours, nor
 * its indicators or its catalogue).
 */
export function requireDepartement(viewer: Viewer, departement: string): void {
  if (!viewer.departements.includes(departement)) {
    throw forbidden(`Le département ${departement} est hors de votre périmètre (${viewer.departements.join(', ') || 'aucun'}).`);
  }
}
