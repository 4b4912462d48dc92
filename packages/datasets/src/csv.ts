import { Tensor, ValueError, checkOptions, defineOptions, type OptionSpec } from '@tapegrad/core';
import { readFileBytes } from './node-io.js';

/**
 * Options of {@link loadCsv} and {@link parseCsv}.
 *
 * @example
 * const opts: CsvOptions = { header: false, delimiter: ';', classNames: ['setosa', 'versicolor'] };
 * parseCsv('5.1;versicolor\n7.0;setosa\n', opts).labels.toArray(); // [1, 0]
 */
export interface CsvOptions {
  /** The first non-empty line holds column names (default true). */
  header?: boolean;
  /** Field separator (default `','`). */
  delimiter?: string;
  /**
   * The label column, by name (needs `header`) or by index (negative counts from the end).
   * Default: the last column.
   */
  labelColumn?: string | number;
  /**
   * Class names in label order: the label of a row is the position of its label text in this
   * list. Default: if every label is a non-negative integer, the integers themselves (class names
   * `'0'..'K-1'`, K = largest label + 1, which may be at most max(1024, 16 x rows)); otherwise the distinct label texts in order of first appearance.
   */
  classNames?: readonly string[];
  /** The name used in error messages (default: the path, or `'<text>'`). */
  name?: string;
}

const csvOptions = (fn: string): OptionSpec =>
  defineOptions(fn, { header: 'boolean', delimiter: 'string', labelColumn: 'string|integer', classNames: 'string[]', name: 'string' });
const SPECS: Record<string, OptionSpec> = { loadCsv: csvOptions('loadCsv'), parseCsv: csvOptions('parseCsv') };

/**
 * What {@link loadCsv} and {@link parseCsv} return.
 *
 * @example
 * const d: CsvData = parseCsv('a,b,label\n1,2,cat\n3,4,dog\n');
 * d.classNames; // ['cat', 'dog']
 * d.featureNames; // ['a', 'b']
 */
export interface CsvData {
  /** float32 `[N, D]`: every column but the label column, in file order. */
  features: Tensor;
  /** int32 `[N]`: class indices into `classNames`. */
  labels: Tensor;
  /** Name of each class, indexed by label. */
  classNames: string[];
  /** Name of each feature column (from the header, else `'x0'`, `'x1'`, ...). */
  featureNames: string[];
}

/**
 * Loads a numeric CSV file with one label column. `source` is a file path (Node only), or the
 * CSV text itself when it contains a line break. Async because node:fs is imported only when a
 * file is read; use {@link parseCsv} for text, synchronously.
 *
 * Blank lines are skipped; fields may be double-quoted (`""` is a quote inside quotes);
 * surrounding spaces are trimmed. Numbers are decimal, as pandas reads them (`1`, `-2.5`,
 * `1e3`, `.5`, `nan`, `inf`); `0x1F` or `0b101` are not numbers. A file must be UTF-8. Every
 * other irregularity is an error.
 *
 * - returns `{ features [N, D] float32, labels [N] int32, classNames, featureNames }`
 *
 * @throws ValueError naming the file, the line number and the problem:
 *   `loadCsv: iris.csv line 12: expected 5 fields, got 4`,
 *   `loadCsv: iris.csv line 7: column 3 (petal_length): 'abc' is not a number`,
 *   a missing file, an unknown label column or class name
 * @example
 * import { writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * const path = `${tmpdir()}/tapegrad-flowers.csv`;
 * await writeFile(path, 'petal_length,petal_width,species\n1.4,0.2,setosa\n4.7,1.4,versicolor\n');
 * const { features, labels, classNames } = await loadCsv(path, { labelColumn: 'species' });
 * classNames; // ['setosa', 'versicolor']
 */
export async function loadCsv(source: string, opts?: CsvOptions): Promise<CsvData> {
  opts = checkOptions(SPECS.loadCsv!, opts);
  if (typeof source !== 'string') throw new ValueError(`loadCsv: expected a path or CSV text as a string, got ${typeof source}`);
  if (/[\r\n]/.test(source)) return parseCsvAs('loadCsv', source, { ...opts, name: opts.name ?? '<text>' });
  const bytes = await readFileBytes('loadCsv', source);
  const name = opts.name ?? source;
  return parseCsvAs('loadCsv', decodeUtf8('loadCsv', name, bytes), { ...opts, name });
}

/**
 * Parses CSV text like {@link loadCsv}, synchronously (works in browsers).
 *
 * @throws ValueError naming `opts.name` (default `'<text>'`), the line number and the problem
 * @example
 * const { features, labels } = parseCsv('a,b,label\n1,2,cat\n3,4,dog\n');
 * features.toArray(); // [[1, 2], [3, 4]]
 * labels.toArray(); // [0, 1]
 */
export function parseCsv(text: string, opts?: CsvOptions): CsvData {
  opts = checkOptions(SPECS.parseCsv!, opts);
  if (typeof text !== 'string') throw new ValueError(`parseCsv: expected the CSV text as a string, got ${typeof text}`);
  return parseCsvAs('parseCsv', text, opts);
}

function splitFields(line: string, delimiter: string, fail: (msg: string) => never): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while ((line[i] === ' ' || line[i] === '\t') && !line.startsWith(delimiter, i)) i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) fail(`unterminated quoted field starting in column ${fields.length + 1}`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      const end = line.indexOf(delimiter, i);
      const rest = (end < 0 ? line.slice(i) : line.slice(i, end)).trim();
      if (rest !== '') fail(`unexpected text ${JSON.stringify(rest)} after a quoted field in column ${fields.length + 1}`);
      fields.push(field);
      if (end < 0) return fields;
      i = end + delimiter.length;
    } else {
      const end = line.indexOf(delimiter, i);
      field = (end < 0 ? line.slice(i) : line.slice(i, end)).trim();
      fields.push(field);
      if (end < 0) return fields;
      i = end + delimiter.length;
    }
  }
}

/** A decimal number as pandas and Python's float() read it: no hex, binary or octal, no `1_000`. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/** The number in `s`, or null if it is not a decimal number (`nan`, `inf`, `Infinity` allowed). */
function parseNumber(s: string): number | null {
  if (DECIMAL.test(s)) return Number(s);
  const special = SPECIAL.exec(s);
  if (special === null) return null;
  if (special[2]!.toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/** UTF-8 bytes as text; invalid UTF-8 is an error naming the line it is on. */
function decodeUtf8(op: string, name: string, bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    // Find the line, counting line breaks as parseCsv does (\r\n, \n or \r).
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      const b = bytes[i];
      if (i < bytes.length && b !== 0x0a && b !== 0x0d) continue;
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        throw new ValueError(`${op}: ${name} line ${line}: the text is not valid UTF-8 (in bytes ${start}..${i} of the file)`);
      }
      if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
      line++;
      start = i + 1;
    }
    throw new ValueError(`${op}: ${name}: the text is not valid UTF-8`);
  }
}

function parseCsvAs(op: string, text: string, opts: CsvOptions): CsvData {
  const name = opts.name ?? '<text>';
  const delimiter = opts.delimiter ?? ',';
  if (delimiter === '' || /[\r\n"]/.test(delimiter)) throw new ValueError(`${op}: invalid delimiter ${JSON.stringify(delimiter)}`);
  const hasHeader = opts.header ?? true;
  const lines = text.split(/\r\n|\n|\r/);
  let headerFields: string[] | null = null;
  let width = -1;
  let labelCol = -1;
  const values: number[] = [];
  const labelTexts: string[] = [];
  const labelLines: number[] = [];

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const lineNo = li + 1;
    const lineError = (msg: string) => new ValueError(`${op}: ${name} line ${lineNo}: ${msg}`);
    const fail = (msg: string): never => {
      throw lineError(msg);
    };
    const fields = splitFields(line, delimiter, fail);
    if (width < 0) {
      width = fields.length;
      if (width < 2) fail(`expected at least 2 fields (features and a label), got ${width}; is the delimiter ${JSON.stringify(delimiter)} right?`);
      labelCol = resolveLabelColumn(op, name, opts.labelColumn, hasHeader ? fields : null, width);
      if (hasHeader) {
        headerFields = fields;
        continue;
      }
    }
    if (fields.length !== width) fail(`expected ${width} fields, got ${fields.length}`);
    for (let c = 0; c < width; c++) {
      if (c === labelCol) continue;
      const v = parseNumber(fields[c]!);
      if (v === null)
        throw lineError(`column ${c + 1}${headerFields ? ` (${headerFields[c]})` : ''}: ${fields[c] === '' ? 'empty value' : `'${fields[c]}' is not a number`}`);
      values.push(v);
    }
    labelTexts.push(fields[labelCol]!);
    labelLines.push(lineNo);
  }
  if (width < 0) throw new ValueError(`${op}: ${name}: no data (the text is empty)`);

  const n = labelTexts.length;
  const d = width - 1;
  const { labels, classNames } = encodeLabels(op, name, labelTexts, labelLines, opts.classNames);
  const featureNames: string[] = [];
  for (let c = 0; c < width; c++)
    if (c !== labelCol) featureNames.push(headerFields ? headerFields[c]! : `x${featureNames.length}`);
  return {
    features: Tensor.fromData(Float32Array.from(values), [n, d], 'float32'),
    labels: Tensor.fromData(labels, [n], 'int32'),
    classNames,
    featureNames,
  };
}

function resolveLabelColumn(op: string, name: string, col: string | number | undefined, header: string[] | null, width: number): number {
  if (col === undefined) return width - 1;
  if (typeof col === 'number') {
    const c = col < 0 ? col + width : col;
    if (!Number.isInteger(col) || c < 0 || c >= width)
      throw new ValueError(`${op}: ${name}: labelColumn ${col} is out of range for ${width} columns`);
    return c;
  }
  if (header === null) throw new ValueError(`${op}: ${name}: labelColumn '${col}' is a name, which needs header: true`);
  const c = header.indexOf(col);
  if (c < 0) throw new ValueError(`${op}: ${name} line 1: no column named '${col}' in the header (${header.join(', ')})`);
  return c;
}

/** Integer labels may name up to max(MIN_CLASS_LIMIT, CLASSES_PER_ROW * rows) classes. */
const MIN_CLASS_LIMIT = 1024;
const CLASSES_PER_ROW = 16;

function encodeLabels(
  op: string,
  name: string,
  texts: readonly string[],
  lines: readonly number[],
  given: readonly string[] | undefined,
): { labels: Int32Array; classNames: string[] } {
  const labels = new Int32Array(texts.length);
  if (given) {
    const index = new Map(given.map((c, i) => [c, i] as const));
    texts.forEach((t, i) => {
      const k = index.get(t);
      if (k === undefined)
        throw new ValueError(`${op}: ${name} line ${lines[i]}: label '${t}' is not one of the classNames (${given.join(', ')})`);
      labels[i] = k;
    });
    return { labels, classNames: [...given] };
  }
  if (texts.length > 0 && texts.every((t) => /^\d+$/.test(t) && Number(t) <= 2147483647)) {
    let max = -1;
    let maxAt = 0;
    texts.forEach((t, i) => {
      labels[i] = Number(t);
      if (labels[i]! > max) [max, maxAt] = [labels[i]!, i];
    });
    // The classes 0..max are named: bounded by the rows, so a 24-byte file cannot ask for 2^31 names.
    const limit = Math.max(MIN_CLASS_LIMIT, CLASSES_PER_ROW * texts.length);
    if (max + 1 > limit)
      throw new ValueError(
        `${op}: ${name} line ${lines[maxAt]}: label ${max} would make ${max + 1} classes for ${texts.length} data rows; ` +
          `integer labels are class indices 0..K-1 with K at most max(${MIN_CLASS_LIMIT}, ${CLASSES_PER_ROW} x rows) = ${limit}; pass classNames to list the classes`,
      );
    return { labels, classNames: Array.from({ length: max + 1 }, (_, k) => String(k)) };
  }
  const index = new Map<string, number>();
  texts.forEach((t, i) => {
    if (t === '') throw new ValueError(`${op}: ${name} line ${lines[i]}: empty label`);
    let k = index.get(t);
    if (k === undefined) index.set(t, (k = index.size));
    labels[i] = k;
  });
  return { labels, classNames: [...index.keys()] };
}
