import { readFileSync } from 'node:fs';
import { runMain } from '@agir/common';
import { readConfig } from './config';
import { startGateway } from './gateway';

void runMain('gateway', (logger) => {
  const config = readConfig();
  return startGateway({ ...config, supergraphSdl: readFileSync(config.supergraphPath, 'utf8'), host: '0.0.0.0', logger });
});
