/** Acme's VariableSource: anything that serves named parameters (a learner, usually). */
export interface VariableSource<V = unknown> {
  /** One entry per name, in order. */
  getVariables(names: readonly string[]): V[];
}
