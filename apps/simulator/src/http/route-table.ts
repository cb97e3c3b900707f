/** A route template such as `/v1/orders/{id}/process`, matched against request paths. */
interface CompiledRoute<Value> {
  method: string;
  template: string;
  pattern: RegExp;
  parameterNames: readonly string[];
  value: Value;
}

export interface RouteMatch<Value> {
  /** The template that matched: what the journal and fault rules call the route. */
  template: string;
  params: Readonly<Record<string, string>>;
  value: Value;
}

/** Method + template → value. Parameters match one non-empty path segment. */
export class RouteTable<Value> {
  private readonly routes: CompiledRoute<Value>[] = [];

  add(method: string, template: string, value: Value): this {
    const parameterNames: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        const parameter = /^\{(\w+)\}$/.exec(segment);
        if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        parameterNames.push(parameter[1]);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, template, pattern: new RegExp(`^${source}$`), parameterNames, value });
    return this;
  }

  templates(): string[] {
    return [...new Set(this.routes.map((route) => route.template))];
  }

  match(method: string, path: string): RouteMatch<Value> | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params = decodeParameters(route.parameterNames, found.slice(1));
      if (params) return { template: route.template, params, value: route.value };
    }
    return undefined;
  }
}

/** undefined when a segment is not valid percent-encoding: such a path matches nothing. */
function decodeParameters(names: readonly string[], values: readonly (string | undefined)[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    names.forEach((name, index) => {
      params[name] = decodeURIComponent(values[index] ?? '');
    });
  } catch {
    return undefined;
  }
  return params;
}
