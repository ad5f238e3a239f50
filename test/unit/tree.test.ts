/** The repository holds source, not the artefacts a profiling or tracing run leaves behind. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });

/** What Node and V8 write into the working folder: --trace-events, --cpu-prof, --prof, --heap-prof, heap snapshots. */
const ARTEFACTS = ['node_trace.1.log', 'node_trace.12.log', 'CPU.20261201.091500.123.0.001.cpuprofile', 'isolate-0x5581c8e0-12345-v8.log', 'Heap.20261201.heapsnapshot', 'Heap.20261201.heapprofile', 'sub/dir/node_trace.3.log'];

describe.runIf(git('rev-parse', '--git-dir').status === 0)('the tree', () => {
  it('tracks no Node or V8 artefact', () => {
    const tracked = git('ls-files').stdout.split('\n');
    expect(tracked.filter((file) => /(^|\/)(node_trace\.\d+\.log|isolate-.*\.log|.*\.(cpuprofile|heapsnapshot|heapprofile))$/.test(file))).toEqual([]);
  });

  it('ignores them, so that a profiling run cannot add one by accident', () => {
    const result = git('check-ignore', '--no-index', '--verbose', ...ARTEFACTS);
    const ignored = result.stdout.trim().split('\n').map((line) => line.split('\t')[1]);
    expect(ignored).toEqual(ARTEFACTS);
  });
});
