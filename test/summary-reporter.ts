import type { Reporter } from 'vitest/reporters';

interface TaskLike {
  type: string;
  mode?: string;
  result?: { state?: string };
  tasks?: TaskLike[];
}

/** Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own report. */
export default class SummaryReporter implements Reporter {
  onFinished(files: TaskLike[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (t: TaskLike): void => {
      if (t.tasks) t.tasks.forEach(visit);
      if (t.type !== 'test') return;
      const s = t.result?.state;
      if (s === 'pass') passed++;
      else if (s === 'fail') failed++;
      else skipped++;
    };
    files.forEach((f) => {
      visit(f);
      // A file that failed to load has no tests but must count as a failure.
      if (f.result?.state === 'fail' && !(f.tasks ?? []).length) failed++;
    });
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
