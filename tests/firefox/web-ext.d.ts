// web-ext ships no types; this is the part of its programmatic API the Firefox tests use.
declare module 'web-ext' {
  export interface LintMessage {
    _type: 'error' | 'warning' | 'notice';
    code: string;
    message: string;
    file?: string;
    line?: number;
    column?: number;
  }
  export interface LintResult {
    errors: LintMessage[];
    warnings: LintMessage[];
    notices: LintMessage[];
  }
  const webExt: {
    cmd: {
      lint(
        params: {
          sourceDir: string;
          output: 'json' | 'text' | 'none';
          selfHosted?: boolean;
          warningsAsErrors?: boolean;
        },
        options: { shouldExitProgram: boolean },
      ): Promise<LintResult>;
    };
  };
  export default webExt;
}
