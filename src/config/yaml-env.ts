// yaml's Parser reads `process.env.LOG_TOKENS` once per lexical token (and its Composer
// `LOG_STREAM` once per document). process.env is a host object: every read is a call into the
// runtime. 5,000 prompt files are 2.3 million tokens, and those reads were ≈ 0.45 s of the ≈ 1.75 s
// yaml took to parse them. While yaml runs (synchronously), process.env is a plain object holding
// just those two variables, then the real one again.
const YAML_VARIABLES = ['LOG_TOKENS', 'LOG_STREAM'] as const;

/** Runs `parse` (synchronous yaml calls only) with process.env as a plain snapshot of yaml's two debug variables. */
export function withYamlEnv<T>(parse: () => T): T {
  const real = process.env;
  const plain: NodeJS.ProcessEnv = {};
  for (const name of YAML_VARIABLES) if (real[name] !== undefined) plain[name] = real[name];
  process.env = plain;
  try {
    return parse();
  } finally {
    process.env = real;
  }
}
