import { readSubgraphConfig } from '@agir/common';

/** The Droits & Logement subgraph's configuration, read once from the environment (port 4002 by default). */
export const readConfig = (env: NodeJS.ProcessEnv = process.env) => readSubgraphConfig('droits-logement', 4002, env);
