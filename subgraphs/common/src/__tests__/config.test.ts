import { ConfigError, readSubgraphConfig } from '../config';

describe('readSubgraphConfig', () => {
  const auth = { AUTH_JWKS: '/etc/agir/jwks.json', GATEWAY_SECRET: 'x'.repeat(32) };

  it('reads a valid environment, with defaults', () => {
    expect(readSubgraphConfig('coordination', 4001, { DATABASE_URL: 'postgres://u:p@db:5432/agir_coordination', ...auth })).toEqual({
      databaseUrl: 'postgres://u:p@db:5432/agir_coordination',
      port: 4001,
      development: true,
      logLevel: 'info',
      gatewayUrl: 'http://localhost:4000/graphql',
      auth: { issuer: 'agir-hub', audience: 'agir-hub', jwks: '/etc/agir/jwks.json', gatewaySecret: 'x'.repeat(32), maxTokenAgeSeconds: 43200 },
      statementTimeoutMs: 30000,
    });
  });

  it('reads the SQL statements\' deadline, and refuses one that is not a sensible number of milliseconds', () => {
    const base = { DATABASE_URL: 'postgres://u:p@db:5432/agir_coordination', ...auth };
    expect(readSubgraphConfig('coordination', 4001, { ...base, STATEMENT_TIMEOUT_MS: '5000' }).statementTimeoutMs).toBe(5000);
    expect(() => readSubgraphConfig('coordination', 4001, { ...base, STATEMENT_TIMEOUT_MS: '10' })).toThrow(/STATEMENT_TIMEOUT_MS: doit être au moins 100 ms/);
    expect(() => readSubgraphConfig('coordination', 4001, { ...base, STATEMENT_TIMEOUT_MS: '5s' })).toThrow(/STATEMENT_TIMEOUT_MS/);
  });

  it('reads the maximum token age in seconds or with a unit, and refuses one that is absurd', () => {
    const base = { DATABASE_URL: 'postgres://u:p@db:5432/agir_coordination', ...auth };
    const age = (value: string) => readSubgraphConfig('coordination', 4001, { ...base, AUTH_MAX_TOKEN_AGE: value }).auth.maxTokenAgeSeconds;
    expect([age('3600'), age('90m'), age('8h'), age('600s')]).toEqual([3600, 5400, 28800, 600]);
    for (const bad of ['12', '8 jours', '-1h', '30d', '']) {
      expect(() => age(bad)).toThrow(/AUTH_MAX_TOKEN_AGE: doit être une durée entre 1 minute et 7 jours/);
    }
  });

  it('lists every bad variable at once, with what was received', () => {
    let error: unknown;
    try {
      readSubgraphConfig('coordination', 4001, { DATABASE_URL: 'mysql://db/x', PORT: 'http', NODE_ENV: 'prod', AUTH_JWKS: '/k.json', GATEWAY_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^DATABASE_URL: doit être une URL postgres:\/\/.* \(reçu « mysql:\/\/db\/x »\)$/);
    expect(problems[1]).toMatch(/^PORT: .*\(reçu « http »\)$/);
    expect(problems[2]).toMatch(/^NODE_ENV: .*\(reçu « prod »\)$/);
    expect(problems[3]).toMatch(/^GATEWAY_SECRET: doit compter 32 caractères au moins.*\(reçu \(valeur masquée\)\)$/);
    expect((error as Error).message).not.toContain('short');
    expect((error as Error).message).toContain('Configuration invalide pour coordination');
  });

  it('never shows a database password in its message', () => {
    expect(() => readSubgraphConfig('coordination', 4001, { DATABASE_URL: 'postgres://agir:s3cret@db:5432/', ...auth })).toThrow(/reçu « postgres:\/\/agir:\*\*\*@db:5432\/ »/);
  });

  it('reads the monitoring token of GET /metrics, empty meaning none, and refuses a weak one without showing it', () => {
    const base = { DATABASE_URL: 'postgres://u:p@db:5432/agir_coordination', ...auth };
    const token = 'a'.repeat(64);
    expect(readSubgraphConfig('coordination', 4001, { ...base, METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(readSubgraphConfig('coordination', 4001, { ...base, METRICS_TOKEN: '' })).not.toHaveProperty('metricsToken');
    expect(() => readSubgraphConfig('coordination', 4001, { ...base, METRICS_TOKEN: 'court' })).toThrow(/METRICS_TOKEN: doit compter 32 caractères au moins.*\(reçu \(valeur masquée\)\)/);
    expect(() => readSubgraphConfig('coordination', 4001, { ...base, METRICS_TOKEN: `${'a'.repeat(32)} b` })).toThrow(/METRICS_TOKEN: ne doit contenir que/);
  });

  it('says when a required variable is missing', () => {
    expect(() => readSubgraphConfig('droits-logement', 4002, {})).toThrow(/DATABASE_URL: .*\(variable absente\)/);
    expect(() => readSubgraphConfig('droits-logement', 4002, {})).toThrow(/AUTH_JWKS: .*JWKS.*\(variable absente\)/);
  });
});
