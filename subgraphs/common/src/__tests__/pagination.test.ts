import { GraphQLError } from 'graphql';
import { encodeCursor, parsePageArgs, toConnection } from '../pagination';

describe('cursor pagination', () => {
  it('round-trips a cursor', () => {
    const cursor = encodeCursor(['2025-01-10', 'b3c6a2e4-1f5d-4a8e-9c1b-2d3e4f5a6b7c']);
    expect(parsePageArgs({ first: 5, after: cursor })).toEqual({ limit: 5, after: ['2025-01-10', 'b3c6a2e4-1f5d-4a8e-9c1b-2d3e4f5a6b7c'] });
  });

  it.each([[-1], [101], [2.5]])('refuses first = %p', (first) => {
    expect(() => parsePageArgs({ first })).toThrow(GraphQLError);
    expect(() => parsePageArgs({ first })).toThrow(/entre 0 et 100/);
  });

  it.each([['not base64 json'], [Buffer.from('{}').toString('base64url')], [Buffer.from('[]').toString('base64url')]])('refuses the cursor %p', (after) => {
    expect(() => parsePageArgs({ after })).toThrow(/pageInfo.endCursor/);
  });

  it('returns limit rows and tells whether more follow', () => {
    const rows = [{ k: 1 }, { k: 2 }, { k: 3 }];
    const page = toConnection(rows, 2, 10, (r) => [r.k]);
    expect(page.edges.map((e) => e.node)).toEqual([{ k: 1 }, { k: 2 }]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    expect(page.totalCount).toBe(10);
    expect(toConnection([], 2, 0, () => []).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
