// The worst-case cost of a GraphQL query with its lists counted (src/graphql/list-cost.ts), on a small schema
// shaped like Strapi's: paginated relation lists, a connection with nodes and pageInfo, an unpaginated dynamic
// zone. The real schema, the site's queries and the attack from issue 21 are tests/integration/api-limits.suite.ts.
import { buildSchema, parse, validate, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { listCostRule, operationCost, pageSize, type ListCostOptions } from '../src/graphql/list-cost.ts';

const schema = buildSchema(/* GraphQL */ `
  input PaginationArg {
    page: Int
    pageSize: Int
    start: Int
    limit: Int
  }
  type Section {
    heading: String
  }
  type Note {
    label: String
  }
  union Block = Section | Note
  type PageInfo {
    total: Int
    page: Int
  }
  type ArticleConnection {
    nodes: [Article!]!
    pageInfo: PageInfo!
  }
  type Topic {
    slug: String
    articles(pagination: PaginationArg): [Article]!
  }
  type Article {
    slug: String
    title: String
    topics(pagination: PaginationArg): [Topic]!
    body: [Block]
  }
  type Query {
    articles(pagination: PaginationArg): [Article]!
    articles_connection(pagination: PaginationArg): ArticleConnection
    topics(pagination: PaginationArg): [Topic]!
  }
`);

const options: ListCostOptions = { maxCost: 1_000, defaultLimit: 25, maxLimit: 100 };

function cost(query: string, opts: ListCostOptions = options): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  return operationCost(schema, operation, (name) => fragments.get(name), opts);
}

const pagination = (value: string) => {
  const document = parse(`{ articles(pagination: ${value}) { slug } }`);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const field = operation.selectionSet.selections[0] as FieldNode;
  return pageSize(field.arguments![0]!.value, options);
};

describe('pageSize', () => {
  it('is the limit or pageSize asked for, at most maxLimit; the default without one', () => {
    expect(pagination('{ limit: 7 }')).toBe(7);
    expect(pagination('{ pageSize: 30, page: 2 }')).toBe(30);
    expect(pagination('{ limit: 1000 }')).toBe(100);
    expect(pagination('{ page: 3 }')).toBe(25);
    expect(pagination('{ start: 50 }')).toBe(25);
    expect(pagination('null')).toBe(25);
    expect(pageSize(undefined, options)).toBe(25);
  });

  it('counts a variable, -1 and other odd values as the largest page', () => {
    expect(pagination('{ limit: $n }')).toBe(100);
    expect(pagination('$pagination')).toBe(100);
    expect(pagination('{ limit: -1 }')).toBe(100);
    expect(pagination('{ limit: 0 }')).toBe(100);
  });
});

describe('operationCost', () => {
  it('counts one per field, and a list as its page size times its fields', () => {
    expect(cost('{ articles(pagination: { limit: 1 }) { slug } }')).toBe(2);
    expect(cost('{ articles(pagination: { limit: 10 }) { slug title } }')).toBe(30);
    expect(cost('{ articles { slug } }')).toBe(50); // 25 by default
  });

  it('multiplies lists inside lists', () => {
    // 10 articles × (1 + 10 topics × (1 + 10 articles × (1 + slug)))
    expect(
      cost(
        '{ articles(pagination: { limit: 10 }) { topics(pagination: { limit: 10 }) { articles(pagination: { limit: 10 }) { slug } } } }',
      ),
    ).toBe(10 * (1 + 10 * (1 + 10 * 2)));
    // The nested topics without a page size count 25.
    expect(cost('{ articles(pagination: { limit: 2 }) { topics { slug } } }')).toBe(2 * (1 + 25 * 2));
  });

  it("hands a connection's page size to its nodes, not to pageInfo", () => {
    expect(cost('{ articles_connection(pagination: { pageSize: 10 }) { nodes { slug } pageInfo { total page } } }')).toBe(
      1 + 10 * (1 + 1) + (1 + 2),
    );
  });

  it("counts a list without pagination (a dynamic zone) once: its length is the editors'", () => {
    expect(cost('{ articles(pagination: { limit: 1 }) { body { __typename ... on Section { heading } ... on Note { label } } } }')).toBe(
      1 * (1 + (1 + 3)),
    );
  });

  it('counts every alias and every fragment spread, walking a fragment once however often it is spread', () => {
    expect(cost('{ a: articles(pagination: { limit: 10 }) { slug } b: articles(pagination: { limit: 10 }) { slug } }')).toBe(40);
    const doubling = (n: number) =>
      Array.from({ length: n }, (_, i) => `fragment F${i} on Article { ...F${i + 1} ...F${i + 1} }`).join('\n');
    // 40 levels of doubling: 2^40 spreads of the last fragment, counted without walking them.
    const query = `{ articles(pagination: { limit: 1 }) { ...F0 } } ${doubling(40)} fragment F40 on Article { slug }`;
    const started = performance.now();
    expect(cost(query)).toBe(1 + 2 ** 40);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('counts variables as the largest page', () => {
    expect(cost('query ($n: Int) { articles(pagination: { limit: $n }) { slug } }')).toBe(200);
  });
});

describe('listCostRule', () => {
  it('refuses an operation above the limit, naming the limit, the cost and what to do; passes one within it', () => {
    const rule = listCostRule(options);
    const over = validate(schema, parse('{ articles(pagination: { limit: 100 }) { topics(pagination: { limit: 5 }) { slug } } }'), [rule]);
    expect(over.map((e) => e.message)).toEqual([
      'Query cost limit of 1,000 exceeded: this query may return 1,100 fields. Each list counts as many items as its page may hold ' +
        '(pagination limit or pageSize; 25 when not given, at most 100), so lists inside lists multiply. Ask for smaller pages or fewer nested lists.',
    ]);
    expect(
      validate(schema, parse('{ articles(pagination: { limit: 100 }) { topics(pagination: { limit: 4 }) { slug } } }'), [rule]),
    ).toEqual([]);
  });
});
