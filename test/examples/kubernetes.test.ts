// examples/kubernetes: never applied to a cluster here, so this test checks what can be
// checked without one: every file parses, the Services select pods and name ports those pods
// have, secrets referenced exist, and each loadctl command line uses flags loadctl has and
// addresses the Services that exist.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { REPO_ROOT } from '../support/cli.js';

const DIR = join(REPO_ROOT, 'examples/kubernetes');

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, any>;
  stringData?: Record<string, string>;
  resources?: string[];
}

function load(file: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
  for (const document of documents) expect(document.errors, file).toEqual([]);
  return documents.map((document) => document.toJS() as Manifest).filter(Boolean);
}

const kustomization = load('kustomization.yaml')[0]!;
const manifests = kustomization.resources!.flatMap(load);
const byKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const deployment = (name: string) => byKind('Deployment').find((manifest) => manifest.metadata.name === name)!;
const container = (name: string) => deployment(name).spec!.template.spec.containers[0];
const service = (name: string) => byKind('Service').find((manifest) => manifest.metadata.name === name)!;
const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1]!;

describe('examples/kubernetes', () => {
  it('lists files that exist, all in one namespace', () => {
    for (const file of kustomization.resources!) expect(existsSync(join(DIR, file)), file).toBe(true);
    const namespace = byKind('Namespace')[0]!.metadata.name;
    for (const manifest of manifests.filter((m) => m.kind !== 'Namespace')) expect(manifest.metadata.namespace, manifest.metadata.name).toBe(namespace);
  });

  it('has Services that select a Deployment’s pods and name ports its container has', () => {
    for (const svc of byKind('Service')) {
      const pods = byKind('Deployment').filter((d) => Object.entries(svc.spec!.selector).every(([key, value]) => d.spec!.template.metadata.labels[key] === value));
      expect(pods, svc.metadata.name).toHaveLength(1);
      const ports = pods[0]!.spec!.template.spec.containers.flatMap((c: { ports?: { name: string }[] }) => (c.ports ?? []).map((p) => p.name));
      for (const port of svc.spec!.ports) expect(ports, `${svc.metadata.name} ${port.name}`).toContain(port.targetPort);
    }
    for (const d of byKind('Deployment')) expect(d.spec!.selector.matchLabels).toEqual(expect.objectContaining(d.spec!.template.metadata.labels));
  });

  it('references only secret keys the Secret has', () => {
    const secrets = new Map(byKind('Secret').map((s) => [s.metadata.name, Object.keys(s.stringData ?? {})]));
    for (const d of byKind('Deployment')) {
      for (const env of d.spec!.template.spec.containers.flatMap((c: { env?: unknown[] }) => c.env ?? []) as { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]) {
        const ref = env.valueFrom?.secretKeyRef;
        if (ref) expect(secrets.get(ref.name), `${d.metadata.name} ${env.name}`).toContain(ref.key);
      }
    }
  });

  it('runs loadctl commands with flags loadctl has, pointed at the Services that exist', () => {
    const program = buildProgram({ stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: REPO_ROOT, homeDir: REPO_ROOT }, { code: 0 });
    for (const d of byKind('Deployment')) {
      const [command, ...args] = container(d.metadata.name).args as string[];
      const known = program.commands.find((c) => c.name() === command)!.options.map((option) => option.long);
      for (const flag of args.filter((arg) => arg.startsWith('--'))) expect(known, `${d.metadata.name}: ${command} ${flag}`).toContain(flag);
    }
    const serveArgs = container('loadctl-serve').args as string[];
    const servePorts = container('loadctl-serve').ports as { name: string; containerPort: number }[];
    expect(Number(flagValue(serveArgs, '--port'))).toBe(servePorts.find((p) => p.name === 'api')!.containerPort);
    expect(flagValue(serveArgs, '--host')).toBe('0.0.0.0');

    const workerArgs = container('loadctl-worker').args as string[];
    const [masterHost, masterPort] = flagValue(workerArgs, '--master').split(':');
    const master = service(masterHost!);
    expect(master.spec!.ports.map((p: { port: number }) => p.port)).toContain(Number(masterPort));
    expect(servePorts.find((p) => p.name === 'locust-master')!.containerPort).toBe(Number(masterPort));
    const server = new URL(flagValue(workerArgs, '--server'));
    expect(service(server.hostname).spec!.ports.map((p: { port: number }) => p.port)).toContain(Number(server.port));
  });

  it('uses the image the Dockerfile builds, which prepares Locust at build time', () => {
    const dockerfile = readFileSync(join(DIR, 'Dockerfile'), 'utf8');
    const tag = /-t (\S+) \./.exec(dockerfile)?.[1];
    for (const d of byKind('Deployment')) expect(container(d.metadata.name).image).toBe(tag);
    expect(dockerfile).toMatch(/^RUN node bin\/loadctl setup/m);
    expect(dockerfile).toMatch(/^FROM node:20/m);
  });
});
