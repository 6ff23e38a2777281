import { z } from 'zod';

/** Token endpoint answer (`POST /oauth_token.do`); `expires_in` defaults to 1800 s on ServiceNow. */
const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  token_type: z.string(),
  expires_in: z.coerce.number(),
});

export interface OAuthSessionOptions {
  baseUrl: string;
  fetch: typeof fetch;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Epoch ms from the injected clock (token expiry). */
  now: () => number;
}

/**
 * OAuth 2.0 for ServiceNow: password grant first, then refresh_token grant (falling back to the password
 * grant when the refresh token is gone). client_credentials is off by default on instances, so not used.
 * https://www.servicenow.com/docs/ → "OAuth: Set up an OAuth client"
 */
export class OAuthSession {
  #access: { token: string; expiresAt: number } | null = null;
  #refresh: string | null = null;
  #pending: Promise<string> | null = null;

  constructor(private readonly o: OAuthSessionOptions) {}

  /** A valid access token, fetching one when none is cached or it expires within 30 s. */
  async token(): Promise<string> {
    const now = this.o.now();
    if (this.#access && this.#access.expiresAt - 30_000 > now) return this.#access.token;
    return this.renew();
  }

  /** Forces a new token (after a 401); concurrent callers share one token request. */
  renew(): Promise<string> {
    this.#pending ??= this.#grant().finally(() => (this.#pending = null));
    return this.#pending;
  }

  async #grant(): Promise<string> {
    if (this.#refresh) {
      const viaRefresh = await this.#post({ grant_type: 'refresh_token', refresh_token: this.#refresh });
      if (viaRefresh) return viaRefresh;
    }
    const viaPassword = await this.#post({
      grant_type: 'password',
      username: this.o.username,
      password: this.o.password,
    });
    if (!viaPassword)
      throw new OAuthError('token request rejected (check client id/secret and user credentials)');
    return viaPassword;
  }

  async #post(grant: Record<string, string>): Promise<string | null> {
    const body = new URLSearchParams({
      ...grant,
      client_id: this.o.clientId,
      client_secret: this.o.clientSecret,
    });
    const res = await this.o.fetch(`${this.o.baseUrl}/oauth_token.do`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
    });
    if (res.status === 401 || res.status === 400) {
      this.#refresh = null;
      return null;
    }
    if (!res.ok) throw new OAuthError(`token endpoint answered ${res.status}`, res.status);
    const parsed = TokenResponse.parse(await res.json());
    const now = this.o.now();
    this.#access = { token: parsed.access_token, expiresAt: now + parsed.expires_in * 1000 };
    this.#refresh = parsed.refresh_token ?? this.#refresh;
    return parsed.access_token;
  }
}

/** The token endpoint failed; `status` null means the credentials were refused. */
export class OAuthError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}
