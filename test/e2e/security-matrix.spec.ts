import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod, Type } from '@nestjs/common';
import { StaffService } from '@kkd/staff';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_KEY, AccessLevel } from '../../apps/server/src/http/access.decorator';
import { ConsoleClient, EXPERT, MANAGER, startTestServer, TestServer } from './support/test-server';

const ADMIN = { email: 'admin@helpdesk.test', password: 'admin-password-123' };
const RANK: Record<AccessLevel, number> = { public: 0, expert: 1, manager: 2, admin: 3 };
type Role = 'expert' | 'manager' | 'admin';

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** With every parameter filled in (`:number` → 1). */
  path: string;
  access: AccessLevel | undefined;
}

/** Every route of every controller the server wires, read from Nest's own metadata. */
function allRoutes(t: TestServer): Route[] {
  const controllers = [...t.server.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()].map((c) => c.metatype as Type));
  return controllers.flatMap((controller) => {
    const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const classAccess = Reflect.getMetadata(ACCESS_KEY, controller) as AccessLevel | undefined;
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((name) => {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) return [];
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
      const path = `/${[prefix, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/').replace(/:[A-Za-z]+/g, '1');
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] as Route['method'];
      return [{ method, path, access: (Reflect.getMetadata(ACCESS_KEY, handler) as AccessLevel | undefined) ?? classAccess }];
    });
  });
}

/**
 * Issue 8: a role × route matrix over every console and API route. Each route states its role;
 * without sign-in a protected route is refused (401 for the API, the login page for the console);
 * a role below the route's is refused with 403; a console form without its CSRF token is refused.
 */
describe('who may use which route (every route of the server)', () => {
  let t: TestServer;
  let routes: Route[];
  const sessions = {} as Record<Role, { client: ConsoleClient; csrf: string }>;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestServer();
    routes = allRoutes(t);
    const staff = t.server.app.get(StaffService);
    tokens.expert = t.expertToken;
    tokens.manager = t.managerToken;
    tokens.admin = await staff.createToken(ADMIN.email);
    for (const [role, who] of [['expert', EXPERT], ['manager', MANAGER], ['admin', ADMIN]] as const) {
      const client = new ConsoleClient(t.baseUrl);
      await client.login(who.email, who.password);
      sessions[role] = { client, csrf: ConsoleClient.csrfOf((await client.get('/consults')).html) };
    }
  });
  afterAll(async () => { await t.close(); });

  const call = (route: Route, as: Role | null, withCsrf = true) => {
    const api = route.path.startsWith('/api/');
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (api) {
      if (as) headers.authorization = `Bearer ${tokens[as]}`;
      if (route.method !== 'GET') {
        headers['content-type'] = 'application/json';
        body = '{}';
      }
    } else {
      if (as) headers.cookie = sessions[as].client.cookieHeader();
      if (route.method !== 'GET') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = as && withCsrf ? new URLSearchParams({ _csrf: sessions[as].csrf }).toString() : '';
      }
    }
    return fetch(`${t.baseUrl}${route.path}`, { method: route.method, headers, body, redirect: 'manual' });
  };

  it('finds the routes, and every one states who may use it', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes).toContainEqual({ method: 'POST', path: '/members/1', access: 'admin' });
    // Staff accounts: admins only, every route.
    expect(routes.filter((r) => r.path === '/staff' || r.path.startsWith('/staff/'))).toEqual(expect.arrayContaining([
      { method: 'GET', path: '/staff', access: 'admin' }, { method: 'POST', path: '/staff', access: 'admin' },
      { method: 'GET', path: '/staff/1', access: 'admin' }, { method: 'POST', path: '/staff/1/role', access: 'admin' },
      { method: 'POST', path: '/staff/1/disable', access: 'admin' }, { method: 'POST', path: '/staff/1/enable', access: 'admin' },
      { method: 'POST', path: '/staff/1/second-factor/reset', access: 'admin' },
    ]));
    expect(routes.filter((r) => r.path === '/staff' || r.path.startsWith('/staff/')).every((r) => r.access === 'admin')).toBe(true);
    // Account pages: every signed-in role, for their own account.
    expect(routes).toEqual(expect.arrayContaining([
      { method: 'GET', path: '/account/password', access: 'expert' }, { method: 'POST', path: '/account/password', access: 'expert' },
    ]));
    expect(routes.filter((r) => !r.access).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('refuses every protected route without sign-in: 401 for the API, the login page for the console', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.access !== 'public')) {
      const res = await call(route, null);
      const ok = route.path.startsWith('/api/') ? res.status === 401 : res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login');
      if (!ok) wrong.push(`${route.method} ${route.path} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses each role the routes above it with 403, and lets it past the guard on the routes it may use', async () => {
    const wrong: string[] = [];
    for (const role of ['expert', 'manager', 'admin'] as const) {
      // Signing out would end the session the rest of the matrix uses.
      for (const route of routes.filter((r) => r.access !== 'public' && r.path !== '/logout')) {
        const res = await call(route, role);
        const refused = res.status === 403 || res.status === 401;
        if (RANK[route.access!] > RANK[role] ? !refused : refused) wrong.push(`${role} ${route.method} ${route.path} → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses every console form without its CSRF token, whatever the role', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/') && r.access !== 'public')) {
      const res = await call(route, 'admin', false);
      if (res.status !== 403) wrong.push(`${route.method} ${route.path} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
