// Node has WebAssembly as a global, but TypeScript declares its values only in the DOM's lib,
// which the extension host's code does not use: what the SQLite engine's loading needs of it.
declare namespace WebAssembly {
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  type Imports = Record<string, Record<string, unknown>>;
  function compile(bytes: Uint8Array): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
  const Module: { readonly prototype: Module; new (bytes: Uint8Array): Module };
}
