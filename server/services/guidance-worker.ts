/**
 * Worker thread of the guidance service: one issue (train + issue + references, common/forecast
 * runIssue) per worker, so tens of seconds of training never block the event loop that serves
 * readings and sockets. Receives the IssueJob as workerData, posts one IssueResult or { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runIssue, type IssueJob } from '#common/forecast/issue.ts';

try {
  parentPort!.postMessage({ ok: true, result: runIssue(workerData as IssueJob, Date.now) });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: (err as Error)?.stack ?? String(err) });
}
