import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { CountryCodeResolver, DateResolver, DateTimeResolver, EmailAddressResolver, PostalCodeResolver } from 'graphql-scalars';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A telephone number in international form, as E.164: `+` and the country code, then the number
 * (spaces, dots and dashes between digits are accepted and removed: `+33 6 12 34 56 78` is stored
 * `+33612345678`). The number must be one the numbering plan of its country allows
 * (libphonenumber's metadata): `0612…` (no country) or `+336` (too short) are refused.
 */
export function parsePhoneNumber(value: unknown): string {
  const refuse = (detail: string) =>
    new GraphQLError(`Numéro de téléphone invalide (${detail}) : donnez-le au format international E.164, ex. +33612345678.`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (typeof value !== 'string') throw refuse('une chaîne est attendue');
  const text = value.trim();
  if (!text.startsWith('+')) throw refuse(`« ${text.slice(0, 30)} » ne commence pas par + et l'indicatif du pays`);
  if (!/^\+[\d .-]+$/.test(text)) throw refuse(`« ${text.slice(0, 30)} » contient autre chose que des chiffres`);
  const parsed = parsePhoneNumberFromString(text);
  if (!parsed?.isValid()) throw refuse(`« ${text.slice(0, 30)} » n'est pas un numéro attribuable`);
  return parsed.number;
}

export const PhoneNumberScalar = new GraphQLScalarType<string, string>({
  name: 'PhoneNumber',
  description: 'Un numéro de téléphone au format international E.164 (ex. +33612345678).',
  serialize: (value) => String(value),
  parseValue: parsePhoneNumber,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Numéro de téléphone invalide : une chaîne est attendue, ex. "+33612345678".', { extensions: { code: 'BAD_USER_INPUT' } });
    return parsePhoneNumber(ast.value);
  },
});

const ALL = {
  Date: DateResolver,
  DateTime: DateTimeResolver,
  EmailAddress: EmailAddressResolver,
  PhoneNumber: PhoneNumberScalar,
  PostalCode: PostalCodeResolver,
  CountryCode: CountryCodeResolver,
} satisfies Record<string, GraphQLScalarType>;

export type ScalarName = keyof typeof ALL;

/** The graphql-scalars implementations of the scalars a subgraph's SDL declares. */
export function scalarResolvers<N extends ScalarName>(...names: N[]): Pick<typeof ALL, N> {
  const picked = {} as Pick<typeof ALL, N>;
  for (const name of names) picked[name] = ALL[name];
  return picked;
}
