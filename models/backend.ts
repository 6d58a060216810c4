import { requireOptional, tfCore as tf, TFJS_WASM_DIR } from './face-api.ts';
import { optionalPackageNote } from './optional-package.ts';
import { installFastConcat } from './wasm-concat.ts';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = Exclude<BackendPreference, 'auto'>;

export interface BackendChoice {
  name: BackendName;
  /** Why this one, and what was tried before it. */
  notes: string[];
}

interface WasmBackendModule {
  setWasmPaths(prefix: string): void;
}

async function tryTensorflow(): Promise<string | null> {
  try {
    requireOptional('@tensorflow/tfjs-node');
    return (await tf.setBackend('tensorflow')) ? null : 'tensorflow backend did not initialise';
  } catch (error) {
    return optionalPackageNote('@tensorflow/tfjs-node', error);
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    const wasm = requireOptional('@tensorflow/tfjs-backend-wasm') as WasmBackendModule;
    wasm.setWasmPaths(TFJS_WASM_DIR);
    if (!(await tf.setBackend('wasm'))) return 'wasm backend did not initialise';
    installFastConcat();
    return null;
  } catch (error) {
    return `wasm backend failed (${(error as Error).message.split('\n')[0]})`;
  }
}

async function tryCpu(): Promise<string | null> {
  return (await tf.setBackend('cpu')) ? null : 'cpu backend did not initialise';
}

const ATTEMPTS: Record<BackendName, () => Promise<string | null>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Selects the fastest working TF backend: native TensorFlow when the optional package installed,
 * else WebAssembly (its .wasm ships in node_modules), else plain JS. A forced choice that fails is an error.
 */
export async function selectBackend(preference: BackendPreference): Promise<BackendChoice> {
  const order: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const notes: string[] = [];
  for (const name of order) {
    const failure = await ATTEMPTS[name]();
    if (failure === null) {
      await tf.ready();
      return { name, notes };
    }
    notes.push(failure);
  }
  throw new Error(`No TensorFlow backend could start: ${notes.join('; ')}`);
}
