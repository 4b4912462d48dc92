// The examples' command line: `pnpm example <name> [--quick] [--epochs N] [--out DIR]`, plus
// the example's own numeric flags (registry.ts, e.g. char-gpt's `--steps N`).
// With no name it lists the examples.
import { EXAMPLES } from './registry.js';
import type { ExampleArgs } from './util.js';

function usage(): string {
  const width = Math.max(...Object.keys(EXAMPLES).map((n) => n.length));
  return [
    'usage: pnpm example <name> [--quick] [--epochs N] [--out DIR]',
    '',
    'examples:',
    ...Object.entries(EXAMPLES).flatMap(([name, e]) => [
      `  ${name.padEnd(width)}  ${e.description}`,
      ...Object.entries(e.flags ?? {}).map(([f, help]) => `  ${''.padEnd(width)}    --${f} N: ${help}`),
      ...Object.entries(e.switches ?? {}).map(([f, help]) => `  ${''.padEnd(width)}    --${f}: ${help}`),
    ]),
    '',
    '  --quick     a small, fast version (a subset of the data, fewer epochs)',
    '  --epochs N  number of epochs (MNIST examples)',
    '  --out DIR   folder for the SVG pictures (default examples/out)',
  ].join('\n');
}

function parse(argv: string[]): { name: string | undefined; args: ExampleArgs } {
  const args: ExampleArgs & Record<string, unknown> = {};
  const own: Array<[string, string | undefined]> = []; // flags checked against the example's list
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    else if (a === '--quick') args.quick = true;
    else if (a === '--epochs') args.epochs = Number(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--help' || a === '-h') return { name: undefined, args };
    else if (a.startsWith('--')) {
      // a switch when nothing follows it, or another flag, or an example's name
      const next = argv[i + 1];
      const isSwitch = next === undefined || next.startsWith('--') || Object.hasOwn(EXAMPLES, next);
      own.push([a.slice(2), isSwitch ? undefined : argv[++i]]);
    }
    else name = a;
  }
  const flags = (name !== undefined && EXAMPLES[name]?.flags) || {};
  const switches = (name !== undefined && EXAMPLES[name]?.switches) || {};
  const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  for (const [flag, value] of own) {
    if (Object.hasOwn(switches, flag)) {
      if (value !== undefined) throw new Error(`--${flag} takes no value, got ${value}\n\n${usage()}`);
      args[camel(flag)] = true;
      continue;
    }
    if (!Object.hasOwn(flags, flag)) throw new Error(`unknown option --${flag}\n\n${usage()}`);
    if (value === undefined || !Number.isFinite(Number(value))) throw new Error(`--${flag} must be followed by a number, got ${value}\n\n${usage()}`);
    args[camel(flag)] = Number(value);
  }
  if (args.epochs !== undefined && !(Number.isInteger(args.epochs) && args.epochs > 0))
    throw new Error(`--epochs must be a positive integer\n\n${usage()}`);
  return { name, args };
}

async function run(): Promise<void> {
  const { name, args } = parse(process.argv.slice(2));
  if (name === undefined) {
    console.log(usage());
    return;
  }
  const entry = EXAMPLES[name];
  if (!entry) {
    console.error(`unknown example '${name}'\n\n${usage()}`);
    process.exitCode = 1;
    return;
  }
  const start = performance.now();
  const mod = await entry.load();
  await mod.main(args);
  console.log(`\n${name}: done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

await run();
