#!/usr/bin/env node
// Operator CLI entry point. Runs the TypeScript CLI through tsx's loader so
// operators need no build step; `npm run cli -- <cmd>` and `npx airdesk <cmd>` both land here.
import { register } from 'tsx/esm/api';
register();
await import('../cli/main.ts');
