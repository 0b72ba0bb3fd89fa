// Types of oclif's own dependencies that src/cli/root-help.ts bundles and that ship none.
declare module 'wrap-ansi' {
  const wrapAnsi: (text: string, columns: number, options?: { hard?: boolean; trim?: boolean; wordWrap?: boolean }) => string;
  export default wrapAnsi;
}

declare module 'supports-color' {
  const supportsColor: { stdout: false | { level: number }; stderr: false | { level: number } };
  export default supportsColor;
}
