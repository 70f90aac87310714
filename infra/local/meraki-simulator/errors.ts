// Every non-200 answer of the Dashboard API carries `{"errors": [...]}`; handlers throw this and the
// server renders it, so no handler writes error bodies by hand.

export class ApiError extends Error {
  readonly status: number;
  readonly errors: string[];
  readonly headers: Record<string, string>;

  constructor(status: number, errors: string | string[], headers: Record<string, string> = {}) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.join("; "));
    this.name = "ApiError";
    this.status = status;
    this.errors = list;
    this.headers = headers;
  }
}

export const notFound = (): ApiError => new ApiError(404, "Not found");
export const badRequest = (message: string): ApiError => new ApiError(400, message);
