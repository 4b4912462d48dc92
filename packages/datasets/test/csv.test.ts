import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValueError } from '@tapegrad/core';
import { loadCsv, parseCsv } from '@tapegrad/datasets';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IRIS_HEAD = [
  'sepal_length,sepal_width,petal_length,petal_width,species',
  '5.1,3.5,1.4,0.2,setosa',
  '7.0,3.2,4.7,1.4,versicolor',
  '',
  '4.9,3.0,1.4,0.2,setosa',
  '6.3,3.3,6.0,2.5,virginica',
].join('\n');

describe('loadCsv', () => {
  it('reads a file with a header, mapping class names to integers in order of first appearance', async () => {
    const p = join(dir, 'iris-head.csv');
    writeFileSync(p, IRIS_HEAD + '\n');
    const { features, labels, classNames, featureNames } = await loadCsv(p, { labelColumn: 'species' });
    expect(features.shape).toEqual([4, 4]);
    expect(features.dtype).toBe('float32');
    expect(features).toBeAllClose([[5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [4.9, 3.0, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5]]);
    expect(labels.dtype).toBe('int32');
    expect(Array.from(labels.data)).toEqual([0, 1, 0, 2]);
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  });

  it('uses the given class order, a label column by index, a delimiter and no header', () => {
    const text = 'b;1.5;2\r\na;-3;4e-1\r\n';
    const out = parseCsv(text, { header: false, delimiter: ';', labelColumn: 0, classNames: ['a', 'b'] });
    expect(out.features).toBeAllClose([[1.5, 2], [-3, 0.4]]);
    expect(Array.from(out.labels.data)).toEqual([1, 0]);
    expect(out.featureNames).toEqual(['x0', 'x1']);
    expect(out.classNames).toEqual(['a', 'b']);
    // Label column counted from the end, quoted fields.
    const q = parseCsv('x,"the label",y\n1,"cat, big",2\n3,dog,4\n', { labelColumn: -2 });
    expect(q.features).toBeAllClose([[1, 2], [3, 4]]);
    expect(q.classNames).toEqual(['cat, big', 'dog']);
    expect(q.featureNames).toEqual(['x', 'y']);
  });

  it('keeps integer labels as they are', () => {
    const out = parseCsv('a,label\n0.5,2\n1.5,0\n2.5,2\n');
    expect(Array.from(out.labels.data)).toEqual([2, 0, 2]);
    expect(out.classNames).toEqual(['0', '1', '2']);
  });

  it('refuses an integer label that would make more classes than the file can justify, naming the file, the line and the label', async () => {
    const p = join(dir, 'huge-label.csv');
    writeFileSync(p, 'a,label\n1,2147483647\n');
    await expect(loadCsv(p)).rejects.toThrow(ValueError);
    await expect(loadCsv(p)).rejects.toThrow(
      `loadCsv: ${p} line 2: label 2147483647 would make 2147483648 classes for 1 data rows; integer labels are class indices 0..K-1 with K at most max(1024, 16 x rows) = 1024; pass classNames to list the classes`,
    );
    // Up to the bound, the labels are class indices as before.
    expect(parseCsv('a,label\n1,1023\n').classNames).toHaveLength(1024);
    const rows = Array.from({ length: 100 }, (_, i) => `${i},${i === 50 ? 1599 : 0}`).join('\n');
    expect(parseCsv(`a,label\n${rows}\n`).classNames).toHaveLength(1600);
    expect(() => parseCsv(`a,label\n${rows}\n9,1616\n`, { name: 'r.csv' })).toThrow(/^parseCsv: r\.csv line 102: label 1616 would make 1617 classes for 101 data rows; .* = 1616;/);
  });

  it('throws for a row with the wrong number of fields, naming the file and the line', async () => {
    const p = join(dir, 'short-row.csv');
    writeFileSync(p, 'a,b,label\n1,2,x\n\n3,4\n5,6,y\n');
    await expect(loadCsv(p)).rejects.toThrow(ValueError);
    await expect(loadCsv(p)).rejects.toThrow(`loadCsv: ${p} line 4: expected 3 fields, got 2`);
    expect(() => parseCsv('a,b,label\n1,2,x,9\n', { name: 'extra.csv' })).toThrow('parseCsv: extra.csv line 2: expected 3 fields, got 4');
  });

  it('throws for a non-numeric or empty value, naming the file, the line and the column', async () => {
    const p = join(dir, 'bad-value.csv');
    writeFileSync(p, IRIS_HEAD.replace('4.7', 'abc'));
    await expect(loadCsv(p, { labelColumn: 'species' })).rejects.toThrow(
      `loadCsv: ${p} line 3: column 3 (petal_length): 'abc' is not a number`,
    );
    expect(() => parseCsv('1,,x\n', { header: false, name: 'gap.csv' })).toThrow('parseCsv: gap.csv line 1: column 2: empty value');
  });

  it('reads decimal numbers only, as pandas does: not hex, binary, octal or underscores', () => {
    const ok = parseCsv('a,b,c,d,label\n1,-2.5,1e3,.5,0\n+3.,nan,-inf,Infinity,0\n');
    expect(Array.from(ok.features.data)).toEqual([1, -2.5, 1000, 0.5, 3, NaN, -Infinity, Infinity]);
    for (const bad of ['0x1F', '0b101', '0o7', '1_000', '1e', 'e3', '--1', 'Inf inity'])
      expect(() => parseCsv(`a,label\n${bad},0\n`, { name: 'n.csv' })).toThrow(`parseCsv: n.csv line 2: column 1 (a): '${bad}' is not a number`);
  });

  it('refuses a file that is not UTF-8, naming the file and the line', async () => {
    const p = join(dir, 'latin1.csv');
    writeFileSync(p, Buffer.concat([Buffer.from('a,label\r\n1,cat\r\n2,'), Buffer.from([0x63, 0xe9, 0x74]), Buffer.from('\n')]));
    await expect(loadCsv(p)).rejects.toThrow(ValueError);
    await expect(loadCsv(p)).rejects.toThrow(`loadCsv: ${p} line 3: the text is not valid UTF-8 (in bytes 16..21 of the file)`);
  });

  it('throws for a missing file, an unknown label column and an unknown class', async () => {
    const missing = join(dir, 'missing.csv');
    await expect(loadCsv(missing)).rejects.toThrow(`loadCsv: cannot read ${missing}: no such file (ENOENT)`);
    expect(() => parseCsv(IRIS_HEAD, { labelColumn: 'kind', name: 'iris.csv' })).toThrow(/iris.csv line 1: no column named 'kind'/);
    expect(() => parseCsv(IRIS_HEAD, { classNames: ['setosa', 'versicolor'], name: 'iris.csv' })).toThrow(
      /iris.csv line 6: label 'virginica' is not one of the classNames/,
    );
  });
});
