import type { GraphQLScalarType } from 'graphql';
import {
  CountryCodeResolver,
  DateResolver,
  DateTimeResolver,
  EmailAddressResolver,
  PhoneNumberResolver,
  PostalCodeResolver,
} from 'graphql-scalars';

const ALL = {
  Date: DateResolver,
  DateTime: DateTimeResolver,
  EmailAddress: EmailAddressResolver,
  PhoneNumber: PhoneNumberResolver,
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
