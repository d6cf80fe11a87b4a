/**
 * Two checks of a manifest against the Kubernetes API's own definitions, offline:
 * - `schemaErrors`: the JSON schema of its kind, from the Kubernetes OpenAPI document, as the
 *   `kubernetes-models` package compiles it (types, formats, required fields, enums);
 * - `unknownFieldErrors`: fields the API does not define. Those schemas allow any extra
 *   property (as the API server's own schema does, which then drops them with only a warning),
 *   so a misspelt `readinesProbe` would pass them and the probe would silently be missing. The
 *   same package's TypeScript interfaces list every field, and TypeScript's excess-property check
 *   on an object literal finds one that is not there, at any depth (kubeconform's -strict).
 */
import path from 'node:path';
import ts from 'typescript';
import { type Manifest, ROOT } from './kubernetes-manifests.ts';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** `apps/v1` + `Deployment` -> `kubernetes-models/apps/v1/Deployment` (core: `v1/ConfigMap`). */
function modulePath(manifest: Manifest): string {
  if (!/^([a-z0-9.-]+\/)?v\d+(alpha\d+|beta\d+)?$/.test(manifest.apiVersion)) {
    throw new Error(`unexpected apiVersion ${manifest.apiVersion}`);
  }
  if (!/^[A-Z][A-Za-z]+$/.test(manifest.kind)) throw new Error(`unexpected kind ${manifest.kind}`);
  return `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;
}

/** The schema's complaints about one manifest, empty when it is valid. */
export async function schemaErrors(manifest: Manifest): Promise<string[]> {
  const module = (await import(modulePath(manifest))) as Record<string, ModelClass>;
  const Kind = module[manifest.kind];
  if (!Kind) return [`no schema for ${manifest.apiVersion} ${manifest.kind}`];
  try {
    new Kind(manifest).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) throw error;
    return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }
}

/**
 * Fields that no Kubernetes type defines, per manifest (keyed by its position in `manifests`).
 * One TypeScript program checks them all: a few seconds, most of it loading the declarations.
 */
export function unknownFieldErrors(manifests: readonly Manifest[]): Map<number, string[]> {
  // Inside the repository, so that `kubernetes-models` resolves from its node_modules.
  const files = manifests.map((_, i) => path.join(ROOT, 'test/deploy', `__manifest_${i}__.ts`));
  const sources = new Map(
    manifests.map((manifest, i) => [
      files[i] as string,
      `import type { I${manifest.kind} } from '${modulePath(manifest)}';\n` +
        `export const manifest: I${manifest.kind} = ${JSON.stringify(manifest, null, 2)};\n`,
    ]),
  );
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => sources.has(file) || fileExists.call(host, file);
  host.readFile = (file) => sources.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = sources.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, language, ...rest)
      : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram({ rootNames: files, options, host });
  const found = new Map<number, string[]>();
  files.forEach((file, i) => {
    const source = program.getSourceFile(file);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    if (diagnostics.length === 0) return;
    found.set(
      i,
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')),
    );
  });
  return found;
}
