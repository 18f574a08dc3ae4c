import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export const ROOT = path.resolve(__dirname, '..');
export const SUPERGRAPH_PATH = path.join(ROOT, 'schema', 'supergraph.graphql');
const CONFIG_PATH = path.join(ROOT, 'schema', 'subgraphs.json');

interface CompositionConfig {
  subgraphs: { name: string; sdl: string; url: string; domaine: string }[];
  /** Composition hints reviewed and accepted, by code and message. */
  acceptedHints: { code: string; message: string }[];
}

export function readCompositionConfig(): CompositionConfig {
  return JSON.parse(readFileSync(CONFIG_PATH, 'utf8')) as CompositionConfig;
}

export interface CompositionOutcome {
  supergraphSdl?: string;
  errors: string[];
  /** Hints that are not in `acceptedHints`: each must be fixed or reviewed and accepted. */
  unacceptedHints: string[];
}

/** Composes the three subgraph SDLs (Federation 2) exactly as `npm run compose` does. */
export function composeSupergraph(): CompositionOutcome {
  const config = readCompositionConfig();
  const result = composeServices(
    config.subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(readFileSync(path.join(ROOT, s.sdl), 'utf8')) })),
  );
  const accepted = new Set(config.acceptedHints.map((h) => `${h.code}: ${h.message}`));
  const unacceptedHints = (result.hints ?? []).map((h) => `${h.definition.code}: ${h.message}`).filter((h) => !accepted.has(h));
  if (result.errors) return { errors: result.errors.map((e) => e.message), unacceptedHints };
  return { supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`, errors: [], unacceptedHints };
}
