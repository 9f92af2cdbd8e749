/**
 * Stryker ignorer for `npm run mutation`: an op's descriptive fields are not semantics. Its `doc` line
 * (what `list` prints), its `name` and `actor` (labels traces and reports carry; renaming an op is a
 * corpus-format change, caught by the corpus tests, not by an invariant) are skipped, so the score
 * counts mutants of what ops do.
 */
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

const LABELS = new Set(['doc', 'name', 'actor', 'description', 'title']);

class OpLabelIgnorer {
  shouldIgnore(path) {
    if (!path.isObjectProperty()) return undefined;
    const key = path.node.key;
    const name = key.type === 'Identifier' ? key.name : key.type === 'StringLiteral' ? key.value : undefined;
    if (name !== undefined && LABELS.has(name)) return `an op's ${name} labels it; it is not what the op does`;
    return undefined;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'op-labels', OpLabelIgnorer)];
