#!/usr/bin/env node
// Runs Electronegativity (Doyensec's Electron security linter) over the desktop app and fails on
// any HIGH or MEDIUM finding that apps/desktop/electronegativity-explained.json does not explain
// (each entry: check id, file, reason). Works offline: the CLI fetches translations and
// Electron's release list at start; here the translations are loaded from the package itself
// and the one check that downloads the release list is left out (npm audit / Dependabot cover
// Electron versions).
//
// Usage: node scripts/electronegativity.mjs [--json] [--input <dir>]...
//   default input: src/ (main, preload and renderer scanned together, so the global checks —
//   CSP, navigation limits, permission handler — see the whole app). Add `--input out` to scan
//   the built bundle as well.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const FAILING = new Set(['HIGH', 'MEDIUM']);

function parseArgs(argv) {
  const inputs = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--input') inputs.push(path.resolve(argv[++i] ?? ''));
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  if (inputs.length === 0) {
    inputs.push(path.join(appDir, 'src'));
  }
  return { inputs, json };
}

/** Loads the runner with its i18n module replaced by an offline one (same locale files). */
function loadRunner() {
  const pkgDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const i18nPath = require.resolve(path.join(pkgDir, 'dist/locales/i18n.js'));
  const i18n = require('i18n');
  const offline = () => {
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: path.dirname(i18nPath),
      updateFiles: false,
      objectNotation: true,
      retryInDefaultLocale: true,
      register: global,
    });
    i18n.setLocale('en-US');
    return Promise.resolve();
  };
  offline.default = offline;
  require.cache[i18nPath] = { id: i18nPath, filename: i18nPath, loaded: true, exports: offline };
  const runner = require(path.join(pkgDir, 'dist/runner.js'));
  return runner.default ?? runner;
}

function electronVersion() {
  const pkg = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8'));
  return pkg.version;
}

function loadExplanations() {
  const file = path.join(appDir, 'electronegativity-explained.json');
  const entries = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(entries)) throw new Error(`${file} must hold an array`);
  for (const e of entries) {
    if (
      typeof e.check !== 'string' ||
      typeof e.file !== 'string' ||
      typeof e.reason !== 'string' ||
      e.reason.length < 20
    ) {
      throw new Error(
        `${file}: every entry needs check, file and a real reason: ${JSON.stringify(e)}`,
      );
    }
  }
  return entries;
}

export async function scan(inputs) {
  const run = loadRunner();
  const version = electronVersion();
  const findings = [];
  const errors = [];
  // The library logs progress with console.log even in programmatic mode; keep stdout clean.
  /* eslint-disable no-console -- silencing a third-party library's console output */
  const log = console.log;
  console.log = () => undefined;
  /* eslint-enable no-console */
  try {
    for (const input of inputs) {
      const result = await run(
        {
          input,
          output: undefined,
          isSarif: false,
          customScan: [],
          excludeFromScan: NETWORK_CHECKS,
          severitySet: undefined,
          confidenceSet: undefined,
          isRelative: false,
          isVerbose: false,
          electronUpgrade: undefined,
          electronVersionOverride: version,
          parserPlugins: [],
        },
        false,
      );
      for (const issue of result.issues) {
        findings.push({
          check: issue.id,
          file: path.relative(appDir, issue.file).split(path.sep).join('/'),
          line: issue.location?.line ?? 0,
          column: issue.location?.column ?? 0,
          severity: issue.severity?.name ?? String(issue.severity),
          confidence: issue.confidence?.name ?? String(issue.confidence),
          manualReview: Boolean(issue.manualReview),
          description: issue.description,
        });
      }
      for (const e of result.errors) {
        errors.push({
          file: path.relative(appDir, e.file),
          message: e.message,
          tolerable: e.tolerable,
        });
      }
    }
  } finally {
    // eslint-disable-next-line no-console -- restoring what was silenced above
    console.log = log;
  }
  return { findings, errors, electronVersion: version };
}

const covers = (entry, file) =>
  entry.file === file || (entry.file.endsWith('/') && file.startsWith(entry.file));

export function judge(findings, errors, explanations, scannedDirs = []) {
  const explained = (f) => explanations.find((e) => e.check === f.check && covers(e, f.file));
  const failing = findings.filter((f) => FAILING.has(f.severity) && !explained(f));
  // An explanation for a scanned file that no longer has the finding should be deleted.
  const unused = explanations.filter(
    (e) =>
      scannedDirs.some((d) => e.file.startsWith(`${d}/`)) &&
      !findings.some((f) => f.check === e.check && covers(e, f.file)),
  );
  // A file the scanner cannot parse is a file it did not check.
  const fatal = errors.filter((e) => !e.tolerable);
  return { failing, unused, fatal, ok: failing.length === 0 && fatal.length === 0 };
}

async function main() {
  const { inputs, json } = parseArgs(process.argv.slice(2));
  const explanations = loadExplanations();
  const { findings, errors, electronVersion: version } = await scan(inputs);
  const scannedDirs = inputs.map((i) => path.relative(appDir, i).split(path.sep).join('/'));
  const verdict = judge(findings, errors, explanations, scannedDirs);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ electronVersion: version, inputs, findings, errors, ...verdict }, null, 2)}\n`,
    );
  } else {
    const out = (s) => process.stdout.write(`${s}\n`);
    out(
      `Electronegativity on ${inputs.map((i) => path.relative(appDir, i) || '.').join(', ')} (Electron ${version})`,
    );
    for (const f of findings) {
      const note = explained(f, explanations)
        ? 'explained'
        : FAILING.has(f.severity)
          ? 'UNEXPLAINED'
          : 'info';
      out(`  [${note}] ${f.severity}/${f.confidence} ${f.check} ${f.file}:${f.line}:${f.column}`);
    }
    for (const e of verdict.fatal) out(`  [PARSE ERROR] ${e.file}: ${e.message}`);
    for (const e of verdict.unused)
      out(`  [stale explanation] ${e.check} ${e.file}: no such finding any more`);
    out(
      verdict.ok
        ? `OK: ${findings.length} finding(s), none HIGH/MEDIUM unexplained.`
        : `FAIL: ${verdict.failing.length} unexplained HIGH/MEDIUM finding(s), ${verdict.fatal.length} unparsed file(s).`,
    );
  }
  process.exitCode = verdict.ok ? 0 : 1;
}

function explained(f, explanations) {
  return explanations.some((e) => e.check === f.check && covers(e, f.file));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`electronegativity runner failed: ${error.stack ?? error}\n`);
    process.exitCode = 2;
  });
}
