import { ValueError, describeValue } from '@tapegrad/core';
import { isObject, requireString } from './options.js';

/**
 * The per-epoch record of a training run (Keras' `History`): one `logs` object per epoch, e.g.
 * `{ loss, accuracy, val_loss, val_accuracy, lr, seconds }`. {@link fit} returns one; a plain
 * training loop can fill one with {@link History.push}.
 *
 * @example
 * const history = new History();
 * history.push({ loss: 0.9, accuracy: 0.61 });
 * history.push({ loss: 0.5, accuracy: 0.83 });
 * history.get('loss'); // [0.9, 0.5]
 * history.last().accuracy; // 0.83
 * const svg = lineChart([{ name: 'loss', values: history.get('loss') }]);
 */
export class History {
  /** The logs of each epoch, in order. */
  readonly epochs: Array<Record<string, number>> = [];

  /**
   * Appends the logs of one epoch (copied).
   *
   * @example
   * const history = new History();
   * history.push({ loss: 0.25, val_loss: 0.31 });
   */
  push(logs: Record<string, number>): void {
    if (!isObject(logs)) throw new ValueError(`History.push: logs must be an object of numbers, got ${describeValue(logs)}`);
    this.epochs.push({ ...logs });
  }

  /**
   * Number of epochs recorded.
   *
   * @example
   * new History().length; // 0
   */
  get length(): number {
    return this.epochs.length;
  }

  /**
   * Every key that appears in some epoch, in order of first appearance.
   *
   * @example
   * const history = new History();
   * history.push({ loss: 0.5, lr: 0.1 });
   * history.push({ loss: 0.4, lr: 0.1, val_loss: 0.45 });
   * history.keys(); // ['loss', 'lr', 'val_loss']
   */
  keys(): string[] {
    const seen = new Set<string>();
    for (const e of this.epochs) for (const k of Object.keys(e)) seen.add(k);
    return [...seen];
  }

  /**
   * The values of `key` for every epoch (NaN where an epoch has none), ready for {@link lineChart}.
   *
   * @throws ValueError if no epoch has `key` (naming the keys there are)
   * @example
   * const history = new History();
   * history.push({ val_loss: 0.52 });
   * history.push({ val_loss: 0.41 });
   * history.get('val_loss'); // [0.52, 0.41]
   */
  get(key: string): number[] {
    requireString('History.get', 'key', key);
    if (this.epochs.length > 0 && !this.epochs.some((e) => key in e))
      throw new ValueError(`History.get: no epoch has "${key}"; keys are ${this.keys().join(', ') || '(none)'}`);
    return this.epochs.map((e) => (key in e ? e[key]! : NaN));
  }

  /**
   * The logs of the last epoch (an empty object before the first).
   *
   * @example
   * const history = new History();
   * history.push({ accuracy: 0.9 });
   * console.log(`final accuracy ${history.last().accuracy}`);
   */
  last(): Record<string, number> {
    return this.epochs.length ? this.epochs[this.epochs.length - 1]! : {};
  }

  /**
   * The best epoch for `key`: its 0-based index and value (`mode` `'min'` for losses, `'max'` for
   * accuracies; default: `'max'` when the key contains `acc`, else `'min'`). NaN values are ignored.
   *
   * @throws ValueError if `key` never has a number
   * @example
   * const history = new History();
   * for (const v of [0.5, 0.3, 0.4]) history.push({ val_loss: v });
   * history.best('val_loss'); // { epoch: 1, value: 0.3 }
   */
  best(key: string, mode?: 'min' | 'max'): { epoch: number; value: number } {
    requireString('History.best', 'key', key);
    if (mode !== undefined && mode !== 'min' && mode !== 'max')
      throw new ValueError(`History.best: mode must be 'min' or 'max', got ${describeValue(mode)}`);
    const m = mode ?? (key.includes('acc') ? 'max' : 'min');
    const values = this.get(key);
    let epoch = -1;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      if (epoch < 0 || (m === 'min' ? v < values[epoch]! : v > values[epoch]!)) epoch = i;
    }
    if (epoch < 0) throw new ValueError(`History.best: "${key}" has no numeric value in any epoch`);
    return { epoch, value: values[epoch]! };
  }

  /**
   * The epochs as plain objects (for `JSON.stringify`).
   *
   * @example
   * const history = new History();
   * history.push({ loss: 1 });
   * JSON.stringify(history); // '[{"loss":1}]'
   */
  toJSON(): Array<Record<string, number>> {
    return this.epochs.map((e) => ({ ...e }));
  }
}
