// What a GraphQL query may cost at worst, counting lists: the limit config/plugins.ts puts on every operation.
// graphql-armor's cost limit multiplies only by `first`/`last`, which Strapi does not have: its lists take
// `pagination: { limit | pageSize }` and return 25 items when given none. So a query of relation lists inside
// relation lists (articles → topics → articles → topics → articles, 30 each) stayed under its static cost of
// 5,000 and kept the CMS busy for 17 s and 22 MB. Here each list counts as many items as its page may hold, so
// nested lists multiply, and a query whose worst case is above what the site's own build asks for is refused
// during validation, before anything runs (tests/integration/api-limits.suite.ts).
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type ValidationContext,
} from 'graphql';

export type ListCostOptions = {
  /** The most an operation may cost: about one per field of each item it may return. */
  maxCost: number;
  /** Items in a list asked for without `limit`/`pageSize` (the GraphQL plugin's defaultLimit). */
  defaultLimit: number;
  /** The most items a list returns whatever is asked (the plugin's maxLimit). */
  maxLimit: number;
};

/**
 * How many items a field with a `pagination` argument may return. Variables are never trusted: validation runs
 * before their values are known (and Apollo reuses a validated document for any values), so a variable counts
 * as the largest page. -1 ("no limit") and other odd values count as the largest page too.
 */
export function pageSize(pagination: ValueNode | undefined, { defaultLimit, maxLimit }: ListCostOptions): number {
  if (!pagination || pagination.kind === Kind.NULL) return defaultLimit;
  if (pagination.kind !== Kind.OBJECT) return maxLimit; // a variable for the whole object
  let size: number | undefined;
  for (const field of pagination.fields) {
    if (field.name.value !== 'limit' && field.name.value !== 'pageSize') continue;
    const value = field.value;
    if (value.kind === Kind.NULL) continue;
    const asked = value.kind === Kind.INT ? Number(value.value) : NaN;
    const items = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, maxLimit) : maxLimit;
    size = Math.max(size ?? 0, items);
  }
  return size ?? defaultLimit; // only `page` or `start`: a page of the default size
}

type Fragments = (name: string) => FragmentDefinitionNode | null | undefined;

/**
 * The worst-case cost of one operation: every field costs 1, and a list field costs its page size times
 * (1 + its fields). A connection (`articles_connection(pagination: …) { nodes { … } pageInfo { … } }`) carries
 * its page size to its list (`nodes`), not to `pageInfo`. Lists without a `pagination` argument (components,
 * dynamic zones) count once: their length is the editors', not the caller's. Fields the schema does not know
 * count 1 (graphql's own rules refuse them), introspection fields count 1 without their selection.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  options: ListCostOptions,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // A fragment's cost depends only on it and the page size it inherits: each is walked once, however often it
  // is spread (fragments spreading fragments twice, ten times over, would otherwise mean 1,024 walks).
  const memo = new Map<string, number>();
  const onPath = new Set<string>();

  const selections = (set: SelectionSetNode, parent: GraphQLCompositeType, inherited: number | undefined): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
        const definition = fields[selection.name.value];
        if (!definition || !selection.selectionSet) {
          cost += 1;
          continue;
        }
        const type = getNamedType(definition.type);
        if (!isCompositeType(type)) {
          cost += 1;
          continue;
        }
        const isList = isListType(getNullableType(definition.type));
        const paginated = definition.args.some((arg) => arg.name === 'pagination');
        const size = paginated ? pageSize(selection.arguments?.find((arg) => arg.name.value === 'pagination')?.value, options) : undefined;
        // A paginated list multiplies itself; a paginated connection hands its size to its list.
        const times = isList ? (size ?? inherited ?? 1) : 1;
        const handedDown = !isList && size !== undefined ? size : undefined;
        cost += times * (1 + selections(selection.selectionSet, type, handedDown));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const named = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += selections(selection.selectionSet, isCompositeType(named) ? named : parent, inherited);
      } else {
        const name = selection.name.value;
        const key = `${name}\u0000${inherited ?? ''}`;
        const known = memo.get(key);
        if (known !== undefined) {
          cost += known;
          continue;
        }
        const fragment = fragments(name);
        if (!fragment || onPath.has(name)) continue; // unknown or cyclic: graphql's own rules refuse it
        const named = schema.getType(fragment.typeCondition.name.value);
        onPath.add(name);
        const fragmentCost = selections(fragment.selectionSet, isCompositeType(named) ? named : parent, inherited);
        onPath.delete(name);
        memo.set(key, fragmentCost);
        cost += fragmentCost;
      }
    }
    return cost;
  };

  return selections(operation.selectionSet, root, undefined);
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The validation rule: refuses an operation whose worst case is above `maxCost`, saying why and what to do. */
export function listCostRule(options: ListCostOptions) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const cost = operationCost(context.getSchema(), operation, (name) => context.getFragment(name), options);
      if (cost <= options.maxCost) return;
      context.reportError(
        new GraphQLError(
          `Query cost limit of ${count(options.maxCost)} exceeded: this query may return ${count(cost)} fields. ` +
            `Each list counts as many items as its page may hold (pagination limit or pageSize; ${options.defaultLimit} ` +
            `when not given, at most ${options.maxLimit}), so lists inside lists multiply. Ask for smaller pages or fewer nested lists.`,
          { nodes: [operation] },
        ),
      );
    },
  });
}
