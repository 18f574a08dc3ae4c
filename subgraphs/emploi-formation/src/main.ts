import { launchSubgraph, runMain } from '@agir/common';
import { readConfig } from './config';
import { emploiFormation } from './index';

void runMain('emploi-formation', () => launchSubgraph(emploiFormation, { ...readConfig(), host: '0.0.0.0' }));
