import { badUserInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** True when the value is a canonical UUID (versions 1 to 8). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Checks an id argument before it reaches SQL, so that a malformed id is the caller's error
 * (BAD_USER_INPUT naming the argument) rather than a database error.
 */
export function parseId(value: string, argument: string): string {
  if (!isUuid(value)) {
    throw badUserInput(
      `L'argument « ${argument} » doit être un UUID (ex. 3f1c2a54-7b8e-4d2a-9c1e-5a6b7c8d9e0f), reçu « ${value} ».`,
      argument,
    );
  }
  return value.toLowerCase();
}
