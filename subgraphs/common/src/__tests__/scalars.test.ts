import { GraphQLError } from 'graphql';
import { parsePhoneNumber, PhoneNumberScalar } from '../scalars';

describe('PhoneNumber: international form (E.164)', () => {
  it.each([
    ['+33612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['  +33-6-12-34-56-78 ', '+33612345678'],
    ['+93701234567', '+93701234567'],
  ])('accepts %s as %s', (input, stored) => {
    expect(parsePhoneNumber(input)).toBe(stored);
  });

  it.each([
    ['0612', 'ne commence pas par +'],
    ['0612345678', 'ne commence pas par +'],
    ['+336', "n'est pas un numéro attribuable"],
    ['+0612345678', "n'est pas un numéro attribuable"],
    ['+33 6 12 34 56 7x', 'contient autre chose que des chiffres'],
  ])('refuses %s (%s), saying which form to use', (input, detail) => {
    let error: unknown;
    try {
      parsePhoneNumber(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toContain(detail);
    expect((error as GraphQLError).message).toContain('format international E.164, ex. +33612345678');
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a literal that is not a string', () => {
    expect(() => PhoneNumberScalar.parseLiteral({ kind: 'IntValue', value: '612345678' } as never)).toThrow('une chaîne est attendue');
  });
});
