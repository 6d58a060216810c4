// Worker threads do not inherit a loader registered through the API: register TypeScript support here.
import { register } from 'tsx/esm/api';

register();
await import('./face-worker.ts');
