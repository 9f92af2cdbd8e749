/**
 * Stryker ignorer for `npm run mutation`: the score counts mutants of what ops do, so two kinds of code
 * are skipped. An op's labels: its `doc` line (what `list` prints), its `name` and `actor` (renaming an
 * op is a corpus-format change the corpus tests catch, not an invariant). And its `resolve`, which turns
 * generated raw arguments into explicit ones: a mutant there changes which actions get tried, never
 * what an op does with them, and replay skips it altogether (`apply` validates every argument).
 */
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

const LABELS = new Set(['doc', 'name', 'actor', 'description', 'title']);

/** The name of an object member's key, when it is a plain one. */
function keyName(node) {
  const key = node.key;
  return key.type === 'Identifier' ? key.name : key.type === 'StringLiteral' ? key.value : undefined;
}

class OpLabelIgnorer {
  shouldIgnore(path) {
    if (!path.isObjectProperty() && !path.isObjectMethod()) return undefined;
    const name = keyName(path.node);
    if (name === 'resolve') return "an op's resolve picks what the generator tries, not what the op does";
    if (path.isObjectProperty() && name !== undefined && LABELS.has(name)) return `an op's ${name} labels it; it is not what the op does`;
    return undefined;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'op-labels', OpLabelIgnorer)];
