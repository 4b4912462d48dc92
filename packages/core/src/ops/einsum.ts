import { describeValue } from '../options.js';
import { requireTensor } from './operands.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { bmm } from './matmul.js';
import { permute } from './permute.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { squeeze } from './squeeze.js';
import { sum } from './sum.js';

// Labels are numbers: letters 'A'-'Z' are 0-25 and 'a'-'z' 26-51 (so the implicit output sorts
// them as ASCII does), the dims covered by '...' are 52, 53, ... from the leftmost broadcast dim.
const ELL = 52;

function labelOf(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97 + 26;
  return -1;
}

function nameOf(label: number): string {
  if (label >= ELL) return '...';
  return String.fromCharCode(label < 26 ? label + 65 : label - 26 + 97);
}

/** One term of the equation: its letters (as labels) and where '...' stands (-1 if absent). */
interface Term {
  letters: number[];
  ellAt: number;
}

function parseTerm(term: string, what: string): Term {
  const letters: number[] = [];
  let ellAt = -1;
  for (let i = 0; i < term.length; i++) {
    const ch = term[i]!;
    if (ch === '.') {
      if (ellAt >= 0 || term.slice(i, i + 3) !== '...')
        throw new ValueError(`einsum: ${what} '${term}' has a malformed or repeated ellipsis; use '...' at most once per term`);
      ellAt = letters.length;
      i += 2;
      continue;
    }
    const label = labelOf(ch);
    if (label < 0) throw new ValueError(`einsum: invalid subscript '${ch}' in ${what} '${term}'; subscripts must be letters [a-zA-Z]`);
    letters.push(label);
  }
  return { letters, ellAt };
}

/** An operand on its way through the contraction: a tensor and the label of each of its dims. */
interface Op {
  t: Tensor;
  labels: number[];
}

/**
 * Einstein summation: multiplies the operands along equal subscripts and sums the subscripts
 * that are absent from the output.
 *
 * `equation` is like `'bij,bjk->bik'`: one term of letters per operand, separated by commas,
 * optionally `->` and the output's letters. Without `->` the output is the letters that occur
 * exactly once, in alphabetical order (upper case first). A letter repeated within one term takes
 * the diagonal (`'ii->i'`, `'ii'` is the trace); `'...'` stands for the broadcast leading (or
 * middle) dims, kept in front of the implicit output. Size-1 dims broadcast against equal letters
 * of other operands. Spaces are ignored. Operands may also be given as one array.
 *
 * Two operands contract as one batched matmul: letters shared and kept become the batch, letters
 * shared and summed the inner dim, the others rows and columns (`'bij,bjk->bik'` is exactly
 * {@link bmm}). Letters that occur in only one operand and not in the output are summed first;
 * more operands contract pairwise from left to right.
 *
 * @throws ValueError `einsum: invalid subscript '1' in operand 0's term 'i1'; subscripts must be letters [a-zA-Z]`
 * @throws ValueError `einsum: operand 0 has 2 dims (shape [2,3]) but its term 'ijk' names 3`
 * @throws ValueError `einsum: the equation 'ij,jk->ik' has 2 operand terms but 1 operand was given`
 * @throws ValueError `einsum: output subscript 'k' does not occur in any operand's term`
 * @throws ShapeError `einsum: subscript 'j' has size 3 in operand 0 and size 4 in operand 1 (shapes [2,3] and [4,5]), which do not broadcast`
 * @example
 * einsum('ij,jk->ik', tensor([[1, 2]]), tensor([[3], [4]])).toArray(); // [[11]]
 * einsum('ii', tensor([[1, 2], [3, 4]])).item(); // 5
 * einsum('i,j', tensor([1, 2]), tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
 * einsum('bij,bjk->bik', ones([5, 2, 3]), ones([5, 3, 4])).shape; // [5, 2, 4]
 * einsum('...ij->...ji', ones([2, 3, 4])).shape; // [2, 4, 3]
 */
export function einsum(equation: string, ...operands: Tensor[] | [Tensor[]]): Tensor {
  const tensors: Tensor[] = operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : (operands as Tensor[]);
  if (typeof equation !== 'string') throw new ValueError(`einsum: the equation must be a string, got ${describeValue(equation)}`);
  tensors.forEach((t, i) => requireTensor('einsum', `operand ${i}`, t));
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const terms = lhs.split(',');
  if (terms.length !== tensors.length)
    throw new ValueError(
      `einsum: the equation '${equation}' has ${terms.length} operand term${terms.length === 1 ? '' : 's'} but ` +
        `${tensors.length} operand${tensors.length === 1 ? ' was' : 's were'} given`,
    );

  // Each operand's dims as labels; '...' covers the dims its letters leave over.
  let nEll = 0;
  const parsed = terms.map((term, i) => {
    const p = parseTerm(term, `operand ${i}'s term`);
    const t = tensors[i]!;
    const covered = t.ndim - p.letters.length;
    if (p.ellAt < 0 ? covered !== 0 : covered < 0)
      throw new ValueError(
        `einsum: operand ${i} has ${t.ndim} dims (shape ${fmtShape(t.shape)}) but its term '${term}' names ${p.letters.length}` +
          (p.ellAt >= 0 ? ' and an ellipsis' : ''),
      );
    if (p.ellAt >= 0) nEll = Math.max(nEll, covered);
    return { ...p, covered };
  });
  const ops: Op[] = parsed.map((p, i) => {
    const ell = Array.from({ length: Math.max(0, p.covered) }, (_, k) => ELL + nEll - p.covered + k);
    const labels = p.ellAt < 0 ? p.letters : [...p.letters.slice(0, p.ellAt), ...ell, ...p.letters.slice(p.ellAt)];
    return { t: tensors[i]!, labels };
  });

  const labelsSeen = checkSizes(ops, tensors);
  const out = outputLabels(arrow >= 0 ? eq.slice(arrow + 2) : null, parsed, nEll, labelsSeen);

  // Diagonals first, then contract left to right, summing each label once nothing later needs it.
  const diag = ops.map(takeDiagonals);
  let acc = sumUnneeded(diag[0]!, out, diag.slice(1));
  for (let i = 1; i < diag.length; i++) {
    const later = diag.slice(i + 1);
    const b = sumUnneeded(diag[i]!, out, [acc, ...later]);
    acc = contract(sumUnneeded(acc, out, [b, ...later]), b, out, later);
  }
  // Every output label is still there (none is summed, broadcasting keeps the larger side's).
  return permute(acc.t, out.map((l) => acc.labels.indexOf(l)));
}

/** Checks the operands' sizes per label (a label repeated within one operand needs equal sizes; across operands, 1 broadcasts); returns the labels seen. */
function checkSizes(ops: Op[], tensors: Tensor[]): Set<number> {
  ops.forEach((o, i) =>
    o.labels.forEach((l, d) => {
      const first = o.labels.indexOf(l);
      if (first !== d && o.t.shape[first] !== o.t.shape[d])
        throw new ShapeError(
          `einsum: subscript '${nameOf(l)}' is repeated in operand ${i} but its sizes differ ` +
            `(${o.t.shape[first]} != ${o.t.shape[d]}, shape ${fmtShape(o.t.shape)})`,
        );
    }),
  );
  const size = new Map<number, { n: number; op: number }>();
  ops.forEach((o, i) =>
    o.labels.forEach((l, d) => {
      const n = o.t.shape[d]!;
      const seen = size.get(l);
      if (seen === undefined || seen.n === 1) size.set(l, { n, op: i });
      else if (n !== seen.n && n !== 1)
        throw new ShapeError(
          `einsum: subscript '${nameOf(l)}' has size ${seen.n} in operand ${seen.op} and size ${n} in operand ${i} ` +
            `(shapes ${fmtShape(tensors[seen.op]!.shape)} and ${fmtShape(o.t.shape)}), which do not broadcast`,
        );
    }),
  );

  return new Set(size.keys());
}

/** The output's labels: the explicit output term, or the ellipsis dims then the letters seen once, in ASCII order. */
function outputLabels(term: string | null, parsed: Term[], nEll: number, seenLabels: Set<number>): number[] {
  const ellLabels = Array.from({ length: nEll }, (_, k) => ELL + k);
  if (term !== null) {
    const p = parseTerm(term, 'the output term');
    const seen = new Set<number>();
    for (const l of p.letters) {
      if (seen.has(l)) throw new ValueError(`einsum: output subscript '${nameOf(l)}' occurs more than once in the output`);
      seen.add(l);
      if (!seenLabels.has(l)) throw new ValueError(`einsum: output subscript '${nameOf(l)}' does not occur in any operand's term`);
    }
    return p.ellAt < 0 ? p.letters : [...p.letters.slice(0, p.ellAt), ...ellLabels, ...p.letters.slice(p.ellAt)];
  }
  const count = new Map<number, number>();
  for (const p of parsed) for (const l of p.letters) count.set(l, (count.get(l) ?? 0) + 1);
  const once = [...count].filter(([, c]) => c === 1).map(([l]) => l).sort((a, b) => a - b);
  return [...ellLabels, ...once];
}

/** Replaces each label repeated within the operand by one dim: the diagonal along its dims (a strided slice). */
function takeDiagonals(o: Op): Op {
  let { t, labels } = o;
  for (;;) {
    const l = labels.find((m, i) => labels.indexOf(m) !== i);
    if (l === undefined) return { t, labels };
    const at = labels.flatMap((m, i) => (m === l ? [i] : []));
    const rest = labels.flatMap((m, i) => (m === l ? [] : [i]));
    const n = t.shape[at[0]!]!;
    const k = at.length;
    // The diagonal of k dims of size n, flattened to n^k, is every (1 + n + ... + n^(k-1))-th element.
    const flat = reshape(permute(t, [...rest, ...at]), [...rest.map((d) => t.shape[d]!), n ** k]);
    const step = n <= 1 ? 1 : (n ** k - 1) / (n - 1);
    t = slice(flat, [...rest.map(() => null), [0, n === 0 ? 0 : (n - 1) * step + 1, step]]);
    labels = [...rest.map((d) => labels[d]!), l];
  }
}

/** Sums the labels of `o` that neither the output nor any other operand still needs. */
function sumUnneeded(o: Op, out: readonly number[], others: readonly Op[]): Op {
  const dims = o.labels.flatMap((l, d) => (out.includes(l) || others.some((x) => x.labels.includes(l)) ? [] : [d]));
  if (dims.length === 0) return o;
  return { t: sum(o.t, dims), labels: o.labels.filter((_, d) => !dims.includes(d)) };
}

/** Drops a size-1 dim whose label the other operand has at a larger size (it broadcasts: the label becomes the other's alone). */
function dropBroadcast(o: Op, other: Op): Op {
  const dims = o.labels.flatMap((l, d) => {
    const j = other.labels.indexOf(l);
    return o.t.shape[d] === 1 && j >= 0 && other.t.shape[j] !== 1 ? [d] : [];
  });
  if (dims.length === 0) return o;
  return { t: squeeze(o.t, dims), labels: o.labels.filter((_, d) => !dims.includes(d)) };
}

/** The product of two operands as one batched matmul [batch, rows, inner] @ [batch, inner, cols]. */
function contract(a0: Op, b0: Op, out: readonly number[], later: readonly Op[]): Op {
  // After a broadcast dim drops, its label may be left in one operand only: sum it there if unneeded.
  const a1 = dropBroadcast(a0, b0);
  const b1 = dropBroadcast(b0, a1);
  const a = sumUnneeded(a1, out, [b1, ...later]);
  const b = sumUnneeded(b1, out, [a, ...later]);
  const kept = (l: number) => out.includes(l) || later.some((x) => x.labels.includes(l));
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter(kept);
  const inner = shared.filter((l) => !kept(l));
  const rows = a.labels.filter((l) => !b.labels.includes(l));
  const cols = b.labels.filter((l) => !a.labels.includes(l));
  const sizeIn = (o: Op) => (l: number) => o.t.shape[o.labels.indexOf(l)]!;
  const prod = (ls: number[], o: Op) => ls.reduce((p, l) => p * sizeIn(o)(l), 1);
  const ta = permute(a.t, [...batch, ...rows, ...inner].map((l) => a.labels.indexOf(l)));
  const tb = permute(b.t, [...batch, ...inner, ...cols].map((l) => b.labels.indexOf(l)));
  const nb = prod(batch, a);
  const r = bmm(reshape(ta, [nb, prod(rows, a), prod(inner, a)]), reshape(tb, [nb, prod(inner, b), prod(cols, b)]));
  const shape = [...batch.map(sizeIn(a)), ...rows.map(sizeIn(a)), ...cols.map(sizeIn(b))];
  return { t: reshape(r, shape), labels: [...batch, ...rows, ...cols] };
}
