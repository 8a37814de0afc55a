#!/usr/bin/env node
// Launcher for the peer-harness contender: plain node, tsx loader registered here, so
//   run.sh --contender airdesk --contender-cmd 'node /abs/path/bench/peer/contender.mjs'
// works from any directory.
import { register } from 'tsx/esm/api';
register();
await import('./contender.ts');
