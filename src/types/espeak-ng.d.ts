declare module 'espeak-ng' {
  const factory: (opts: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
