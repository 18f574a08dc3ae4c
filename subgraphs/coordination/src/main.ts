import { launchSubgraph, runMain } from '@agir/common';
import { readConfig } from './config';
import { coordination } from './index';

void runMain('coordination', () => launchSubgraph(coordination, { ...readConfig(), host: '0.0.0.0' }));
