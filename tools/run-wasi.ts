// Runs a wasm32-wasi program under Node (the direct-wasm column of the benchmarks): node run-wasi.js prog.wasm args…
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const { instance } = await WebAssembly.instantiate(readFileSync(file), wasi.getImportObject() as WebAssembly.Imports);
process.exitCode = wasi.start(instance);
