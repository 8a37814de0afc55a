// Entry of the gateway's store-writer thread (gateway/store-worker.ts). A worker thread does not
// inherit the tsx loader the CLI registered in the main thread, so it registers it again here.
import { register } from 'tsx/esm/api';
register();
await import('./store-worker.ts');
