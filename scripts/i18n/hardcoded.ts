// Node: finds user-visible English written straight into the doctor app's renderer instead of
// going through its catalog (apps/desktop/src/i18n). Parses each file with TypeScript's
// compiler API and reports
// - JSX text holding a letter (`<p>Hello</p>`),
// - string literals given to attributes people read or hear (`aria-label="Close"`, `title`,
//   `placeholder`, `alt`, `label`, …),
// - prose-like string literals anywhere else (`setError('The file is too big.')`,
//   `{busy ? 'Saving…' : x}`): two or more words that start with a capital, or one capitalised
//   word ending in "…", "." or "!".
// Non-words ("×", "—", "·", digits, punctuation) pass. A line can opt out with a trailing
// `// i18n-ignore: <why>` (or `{/* i18n-ignore: <why> */}`) comment (e.g. a brand name or a log line).
//
// The main process is checked differently (`scanMainSource`): most of its strings are logs and
// IPC error messages for developers, so only what the OS shows is checked — notification and
// dialog properties, file-filter names, tray and window titles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Attributes whose value is shown or read aloud. */
const READ_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'aria-placeholder',
  'title',
  'placeholder',
  'alt',
  'label',
]);

const LETTER = /\p{L}/u;
/** "Two words" or "Word…" — text for people, not ids, class names or CSS. */
const PROSE = /^\p{Lu}\p{Ll}*(?:[\s'’,:;-]+\p{L}[\p{L}'’-]*)+[\s\S]*$|^\p{Lu}\p{Ll}+[.…!?]$/u;

/** Calls whose string arguments are for developers, not people. */
const DEVELOPER_CALLS = /^(console\.\w+|log(ger)?\.\w+|new \w*Error)$/;

function calleeName(node: ts.Node): string | null {
  const call = node.parent;
  if (!call) return null;
  if (ts.isCallExpression(call) || ts.isNewExpression(call)) {
    const text = call.expression.getText();
    return ts.isNewExpression(call) ? `new ${text}` : text;
  }
  return null;
}

function isProse(text: string): boolean {
  const trimmed = text.trim();
  return LETTER.test(trimmed) && PROSE.test(trimmed);
}

/**
 * Parses `source` for a scan: `report` records a finding at `node` unless its line opts out
 * with `i18n-ignore`.
 */
function startScan(file: string, source: string) {
  const sf = ts.createSourceFile(
    file,
    source,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const lines = source.split('\n');
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string): void => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
    if (/i18n-ignore\b/.test(lines[line] ?? '')) return;
    findings.push({ file, line: line + 1, text: text.trim().replace(/\s+/g, ' ') });
  };
  return { sf, findings, report };
}

export function scanSource(file: string, source: string): Finding[] {
  const { sf, findings, report } = startScan(file, source);

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    // Types (`kind: 'Screen share'` as a union member) are not shown.
    if (ts.isTypeNode(node)) return;
    if (ts.isJsxText(node)) {
      if (LETTER.test(node.text)) report(node, node.text);
      return;
    }
    if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText(sf);
      const init = node.initializer;
      if (ts.isStringLiteral(init)) {
        const read = READ_ATTRIBUTES.has(name) && LETTER.test(init.text);
        if (read || isProse(init.text)) report(init, init.text);
        return;
      }
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const shown = inJsxExpression(node) && /^\p{Lu}/u.test(node.text);
      if ((shown || isProse(node.text)) && !isDeveloperText(node)) report(node, node.text);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
      if (isProse(parts) && !isDeveloperText(node)) report(node, parts);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** `{own ? 'You' : name}`: a capitalised word rendered straight into JSX. */
function inJsxExpression(node: ts.Node): boolean {
  let p = node.parent;
  while (
    p &&
    (ts.isConditionalExpression(p) || ts.isBinaryExpression(p) || ts.isParenthesizedExpression(p))
  )
    p = p.parent;
  return p !== undefined && ts.isJsxExpression(p);
}

/** Log lines, thrown errors, `t('id')` ids and object keys are not shown to the user as such. */
function isDeveloperText(node: ts.Node): boolean {
  const parent = node.parent;
  if (parent && ts.isPropertyAssignment(parent) && parent.name === node) return true;
  if (parent && ts.isElementAccessExpression(parent)) return true;
  const callee = calleeName(node);
  return callee !== null && DEVELOPER_CALLS.test(callee);
}

/**
 * What a caught error is usually called: `err`, `error`, `e`, `cause`, `reason`, `saveError`,
 * `state.error` (the last name counts).
 */
const ERROR_NAME = /^(e|err|ex|cause|reason)$|error$/i;

/**
 * The doctor app's renderer: an error's `message` (`error.message`, `state.error.message`) used
 * anywhere but a log line or another error. The service's, main's and api.ts's messages are
 * English for developers; a screen words the error's code (ui/apiError.ts, ui/bridgeError.ts).
 * A line that only matches on the message can opt out with `i18n-ignore: <why>`.
 */
export function scanErrorMessages(file: string, source: string): Finding[] {
  const { sf, findings, report } = startScan(file, source);
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'message' &&
      ERROR_NAME.test(lastName(node.expression)) &&
      !inDeveloperCall(node)
    )
      report(node, node.getText(sf));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** `state.error` → "error", `err` → "err", `errors[0]` → "errors". */
function lastName(node: ts.Expression): string {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) || ts.isNonNullExpression(node))
    return lastName(node.expression);
  if (ts.isParenthesizedExpression(node)) return lastName(node.expression);
  return '';
}

/** Inside the arguments of `log.warn(…)`, `console.*(…)` or `new SomeError(…)`. */
function inDeveloperCall(node: ts.Node): boolean {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && child !== p.expression)
      return isDeveloperCall(p);
    if (ts.isFunctionLike(p) || ts.isStatement(p)) return false;
  }
  return false;
}

/** Every renderer source file (not tests, not the catalogs themselves). */
export function rendererFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'i18n') out.push(...rendererFiles(full));
    } else if (
      /\.tsx?$/.test(name) &&
      !/\.(test|spec)\.tsx?$/.test(name) &&
      !name.endsWith('.d.ts')
    ) {
      out.push(full);
    }
  }
  return out.sort();
}

export function scanFiles(
  files: string[],
  scan: (file: string, source: string) => Finding[] = scanSource,
): Finding[] {
  return files.flatMap((f) => scan(f, readFileSync(f, 'utf8')));
}

/**
 * Properties Electron shows: `Notification` (`title`, `subtitle`, `body`), `BrowserWindow`'s
 * `title`, `dialog.showSaveDialog` / `showOpenDialog` / `showMessageBox` (`title`, `message`,
 * `detail`, `buttonLabel`, `nameFieldLabel`, `checkboxLabel`, `buttons`), menu items (`label`,
 * `sublabel`, `toolTip`).
 */
const SHOWN_PROPERTIES = new Set([
  'title',
  'subtitle',
  'body',
  'message',
  'detail',
  'buttonLabel',
  'nameFieldLabel',
  'checkboxLabel',
  'buttons',
  'label',
  'sublabel',
  'toolTip',
]);
/** Calls whose string arguments the OS shows. */
const SHOWN_CALLS = /(^|\.)(showErrorBox|setToolTip|setTitle)$/;

/** The string literals an expression can evaluate to (`a ? 'x' : `${n} y``, `['OK', 'Cancel']`). */
function literalsOf(node: ts.Expression): ts.Node[] {
  if (ts.isParenthesizedExpression(node)) return literalsOf(node.expression);
  if (ts.isConditionalExpression(node))
    return [...literalsOf(node.whenTrue), ...literalsOf(node.whenFalse)];
  if (ts.isBinaryExpression(node)) return [...literalsOf(node.left), ...literalsOf(node.right)];
  if (ts.isArrayLiteralExpression(node))
    return node.elements.flatMap((e) => (ts.isExpression(e) ? literalsOf(e) : []));
  if (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateExpression(node)
  )
    return [node];
  return [];
}

function literalText(node: ts.Node): string {
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return (node as ts.StringLiteral).text;
}

/** `{ code, message }`: an IPC or wire error body, for developers and logs. */
function isErrorBody(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some(
    (p) =>
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
      p.name.getText() === 'code',
  );
}

/** `filters: [{ name: 'WebM video', extensions: ['webm'] }]`: a save dialog's file-type name. */
function isFileFilter(object: ts.ObjectLiteralExpression): boolean {
  const array = object.parent;
  const property = array?.parent;
  return (
    array !== undefined &&
    ts.isArrayLiteralExpression(array) &&
    property !== undefined &&
    ts.isPropertyAssignment(property) &&
    property.name.getText() === 'filters'
  );
}

/** Main-process strings the OS shows the doctor (see SHOWN_PROPERTIES), written in English. */
export function scanMainSource(file: string, source: string): Finding[] {
  const { sf, findings, report } = startScan(file, source);
  const check = (value: ts.Expression): void => {
    for (const literal of literalsOf(value)) {
      const text = literalText(literal);
      if (LETTER.test(text)) report(literal, text);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node) || ts.isImportDeclaration(node)) return;
    // Log fields and thrown errors are for developers, whatever their keys.
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isDeveloperCall(node)) return;
    if (ts.isCallExpression(node) && SHOWN_CALLS.test(node.expression.getText(sf))) {
      node.arguments.forEach(check);
    }
    if (ts.isObjectLiteralExpression(node) && !isErrorBody(node)) {
      for (const p of node.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const key = p.name.getText(sf).replace(/^['"]|['"]$/g, '');
        if (SHOWN_PROPERTIES.has(key) || (key === 'name' && isFileFilter(node)))
          check(p.initializer);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

function isDeveloperCall(call: ts.CallExpression | ts.NewExpression): boolean {
  const text = call.expression.getText();
  return DEVELOPER_CALLS.test(ts.isNewExpression(call) ? `new ${text}` : text);
}
