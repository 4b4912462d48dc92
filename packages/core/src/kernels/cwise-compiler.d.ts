declare module 'cwise-compiler' {
  interface Block {
    args: Array<{ name: string; lvalue: boolean; rvalue: boolean; count: number }>;
    body: string;
    thisVars: string[];
    localVars: string[];
  }
  interface Spec {
    args: Array<'array' | 'scalar' | 'index' | 'shape'>;
    pre: Block;
    body: Block;
    post: Block;
    funcName?: string;
    blockSize?: number;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function compile(spec: Spec): (...args: any[]) => void;
  export default compile;
}
