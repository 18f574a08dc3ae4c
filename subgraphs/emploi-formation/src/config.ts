import { readSubgraphConfig } from '@agir/common';

/** The Emploi & Formation subgraph's configuration, read once from the environment (port 4003 by default). */
export const readConfig = (env: NodeJS.ProcessEnv = process.env) => readSubgraphConfig('emploi-formation', 4003, env);
