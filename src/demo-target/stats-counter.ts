// Counts what the demo target answered, so end-to-end tests can compare Locust's numbers
// with the server's own. Keys are "METHOD routeTemplate", e.g. "GET /api/products/:id".

export interface DemoTargetStats {
  served: { total: number; byRoute: Record<string, number> };
  errorsInjected: number;
}

export interface StatsCounter {
  recordServed(routeKey: string): void;
  recordInjectedError(): void;
  /** A copy: later requests do not change a snapshot already taken. */
  snapshot(): DemoTargetStats;
  reset(): void;
}

export function createStatsCounter(): StatsCounter {
  let byRoute = new Map<string, number>();
  let total = 0;
  let errorsInjected = 0;

  return {
    recordServed(routeKey) {
      byRoute.set(routeKey, (byRoute.get(routeKey) ?? 0) + 1);
      total += 1;
    },
    recordInjectedError() {
      errorsInjected += 1;
    },
    snapshot() {
      return { served: { total, byRoute: Object.fromEntries(byRoute) }, errorsInjected };
    },
    reset() {
      byRoute = new Map();
      total = 0;
      errorsInjected = 0;
    },
  };
}
