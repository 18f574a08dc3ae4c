import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The error codes the hub answers with, in `extensions.code`. Clients branch on these, never on
 * message text. Apollo's own codes (GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT for variables that
 * do not coerce, ...) keep their meaning and are not redefined here.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  /** A write refused because of the parcours's statut (the message names it and the allowed ones). */
  STATUT_PARCOURS_INCOMPATIBLE: 'STATUT_PARCOURS_INCOMPATIBLE',
  /** A state-machine move that the current statut does not allow. */
  TRANSITION_INVALIDE: 'TRANSITION_INVALIDE',
  /** A break-the-glass grant already reviewed: a review is final (the message says by whom and when). */
  DEJA_REVISE: 'DEJA_REVISE',
  /** An entry that resembles a person already known: answer with `doublon` (the refusal lists the records). */
  DOUBLON_PROBABLE: 'DOUBLON_PROBABLE',
  /** An entry of a person whose earlier parcours ended in a refusal of the contract or an abandon (the refusal names it). */
  PARCOURS_ANTERIEUR_DEFINITIF: 'PARCOURS_ANTERIEUR_DEFINITIF',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Bad input: the message must say what was expected, what was received and what to do.
 * `field` names the argument or input field at fault so that a form can point at it.
 */
export function badUserInput(message: string, field?: string, details?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}), ...details },
  });
}

/** An id that is well-formed but designates nothing the caller can see. */
export function notFound(entity: string, id: string): GraphQLError {
  return new GraphQLError(`Aucun ${entity} ne porte l'identifiant ${id}. Vérifiez l'identifiant (il vient d'une liste ou d'une réponse précédente).`, {
    extensions: { code: ErrorCode.NOT_FOUND, entity, id },
  });
}

/**
 * Shapes every error leaving a server. Outside development the stack trace is removed and any
 * error without a code of ours (a bug, a database failure) is replaced by a generic message: the
 * full error is in the logs, under the request id the answer carries.
 */
export function createErrorFormatter(options: { development: boolean; onInternalError?: (error: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = { ...formatted.extensions };
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    if (options.development) return formatted;
    delete extensions.stacktrace;
    delete extensions.exception;
    if (code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR) {
      options.onInternalError?.(error);
      return {
        message: 'Erreur interne du serveur. Communiquez le requestId de cette réponse au support.',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(extensions.requestId ? { requestId: extensions.requestId } : {}) },
      };
    }
    return { ...formatted, extensions };
  };
}
