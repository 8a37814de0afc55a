// Worker entry: load the TypeScript worker through tsx (workers do not inherit the loader).
import { register } from 'tsx/esm/api';
register();
await import('./measure-worker.ts');
