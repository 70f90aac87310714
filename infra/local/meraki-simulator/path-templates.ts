// Request paths matched against OpenAPI path templates ("/networks/{networkId}/clients") through a
// tree of segments, so a request costs one Map lookup per segment however many operations are
// registered. As OpenAPI prescribes, a literal segment wins over a parameter at the same place.

export interface TemplateMatch<T> {
  value: T;
  /** The segments that matched the template's parameters, in template order. */
  parameterValues: string[];
}

interface Node<T> {
  // A Map, not an object: a segment like "constructor" must not find a prototype member.
  literals: Map<string, Node<T>>;
  parameter: Node<T> | undefined;
  value: T | undefined;
}

const PARAMETER = /^\{([^{}/]+)\}$/;

/** The parameter names of a template, in order. Throws for a segment that mixes text and braces. */
export function templateParameters(template: string): string[] {
  return templateSegments(template).flatMap((segment) =>
    segment.parameter === undefined ? [] : [segment.parameter],
  );
}

export class PathTemplates<T> {
  readonly #root: Node<T> = newNode();

  /** Throws for a malformed template or one that has the shape of a template added before. */
  add(template: string, value: T): void {
    let node = this.#root;
    for (const segment of templateSegments(template)) {
      if (segment.parameter !== undefined) {
        node.parameter ??= newNode();
        node = node.parameter;
      } else {
        const next = node.literals.get(segment.literal) ?? newNode();
        node.literals.set(segment.literal, next);
        node = next;
      }
    }
    if (node.value !== undefined) throw new Error(`path template ${template} is already registered`);
    node.value = value;
  }

  /** `segments` are the request path's decoded segments, without the leading empty one. */
  match(segments: readonly string[]): TemplateMatch<T> | undefined {
    const parameterValues: string[] = [];
    const value = matchFrom(this.#root, segments, 0, parameterValues);
    return value === undefined ? undefined : { value, parameterValues };
  }
}

function matchFrom<T>(
  node: Node<T>,
  segments: readonly string[],
  index: number,
  values: string[],
): T | undefined {
  const segment = segments[index];
  if (segment === undefined) return node.value;
  const literal = node.literals.get(segment);
  const viaLiteral = literal === undefined ? undefined : matchFrom(literal, segments, index + 1, values);
  if (viaLiteral !== undefined || node.parameter === undefined) return viaLiteral;
  values.push(segment);
  const viaParameter = matchFrom(node.parameter, segments, index + 1, values);
  if (viaParameter === undefined) values.pop();
  return viaParameter;
}

type Segment = { literal: string; parameter: undefined } | { literal: undefined; parameter: string };

function templateSegments(template: string): Segment[] {
  if (!template.startsWith("/")) throw new Error(`path template ${template} does not start with /`);
  return template
    .split("/")
    .slice(1)
    .map((segment) => {
      const parameter = PARAMETER.exec(segment)?.[1];
      if (parameter !== undefined) return { literal: undefined, parameter };
      if (/[{}]/.test(segment)) throw new Error(`path template ${template}: unsupported segment ${segment}`);
      return { literal: segment, parameter: undefined };
    });
}

function newNode<T>(): Node<T> {
  return { literals: new Map(), parameter: undefined, value: undefined };
}
