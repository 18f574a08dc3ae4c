import { launchSubgraph, runMain } from '@agir/common';
import { readConfig } from './config';
import { droitsLogement } from './index';

void runMain('droits-logement', () => launchSubgraph(droitsLogement, { ...readConfig(), host: '0.0.0.0' }));
