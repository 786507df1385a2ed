// The OpenID provider of the local platform, as the bank sandbox is the bank's: a real,
// OpenID-certified provider (npm `oidc-provider` 8.8.1 by panva — 8.x because 9.x no longer
// supports Node 20, the machine's Node) that the shop's single sign-on (issue #23) signs in
// against in `make run` and `make test`, as it would against Google, Yandex ID or a Cognito user
// pool in AWS.
//
// - Discovery at `<issuer>/.well-known/openid-configuration`, keys at its `jwks_uri` (an ES256 and
//   an RS256 key made at each start).
// - One static client: `vitrina-local` with its secret, the shop's callback as its only redirect
//   URI (exact match), the authorization code flow with PKCE S256 required; the authorization
//   response carries `iss` (RFC 9207).
// - Test users, signed in on the provider's own page by their login (`sub`) with any password:
//   `maria` (e-mail verified), `pavel` (e-mail not verified), `anna` (no `email_verified` claim at
//   all), with names and phones; their claims are in the ID token too. `maria-<suffix>` (and so
//   on) is one more such person, with the e-mail `maria-<suffix>@sso.example`: each test its own.
// - Faults, as the bank sandbox has them: `POST /_faults/id-token {"sub", "fault"}` makes the next
//   ID token issued to that person wrong in one way — `aud`, `iss`, `expired`, `nonce` (each
//   re-signed with the provider's own key, so only that check can catch it) or `foreign_key`
//   (signed by a key that is not the provider's, under its key id). `POST /_faults/access-token`
//   does the same to the next access token for the shop's API (`aud`, `iss`, `expired`,
//   `foreign_key`, or `scope`: without `openid`).
// - Access tokens for the shop's API as a resource server (RFC 8707 resource indicators): JWTs
//   for the audience `VITRINA_OIDC_RESOURCE` (RFC 9068).
//
// Settings: VITRINA_OIDC_PORT (3003), VITRINA_PORT (the shop's, 3000), VITRINA_OIDC_CLIENT_SECRET.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.env.VITRINA_OIDC_PORT ?? 3003);
const issuer = `http://127.0.0.1:${port}`;
const shop = `http://127.0.0.1:${process.env.VITRINA_PORT ?? 3000}`;
const resource = process.env.VITRINA_OIDC_RESOURCE ?? `${shop}/api`;

const USERS = {
  maria: { email: "maria@sso.example", email_verified: true, given_name: "Мария", family_name: "Соколова", name: "Мария Соколова", phone_number: "+79990001122" },
  pavel: { email: "pavel@sso.example", email_verified: false, given_name: "Павел", family_name: "Орлов", name: "Павел Орлов" },
  anna: { email: "anna@sso.example", given_name: "Анна", family_name: "Белова", name: "Анна Белова" },
};

// `maria`, or `maria-<suffix>`: the base person's claims, the e-mail made from the login.
function person(sub) {
  const m = /^(maria|pavel|anna)(-[a-z0-9]{1,32})?$/.exec(sub ?? "");
  if (!m) return undefined;
  return { ...USERS[m[1]], email: `${sub}@sso.example` };
}

function signingKey(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: "jwk" }), alg, use: "sig", kid: `${alg.toLowerCase()}-${randomBytes(4).toString("hex")}` };
}

const KEYS = [
  signingKey("rsa", { modulusLength: 2048 }, "RS256"),
  signingKey("ec", { namedCurve: "P-256" }, "ES256"),
];
// Not the provider's: what a forger would sign with.
const FOREIGN = {
  RS256: signingKey("rsa", { modulusLength: 2048 }, "RS256"),
  ES256: signingKey("ec", { namedCurve: "P-256" }, "ES256"),
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "vitrina-local",
      client_secret: process.env.VITRINA_OIDC_CLIENT_SECRET ?? "sandbox-oidc-secret",
      redirect_uris: [`${shop}/api/sso/local/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true, methods: ["S256"] },
  scopes: ["openid", "email", "profile", "phone"],
  claims: {
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name"],
    phone: ["phone_number"],
  },
  // The ID token carries the scopes' claims too, as most providers' do.
  conformIdTokenClaims: false,
  async findAccount(_ctx, sub) {
    const user = person(sub);
    return user && { accountId: sub, claims: async () => ({ sub, ...user }) };
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
        return { scope: "openid email profile", audience: resource, accessTokenFormat: "jwt", jwt: { sign: { alg: "ES256" } } };
      },
    },
  },
  jwks: {
    keys: KEYS,
  },
  cookies: { keys: [randomBytes(32).toString("hex")] },
});

// The armed faults, by person: used by the next ID token issued to them.
const faults = new Map();
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

function resign(idToken, fault) {
  const [h, p] = idToken.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url"));
  const payload = JSON.parse(Buffer.from(p, "base64url"));
  const now = Math.floor(Date.now() / 1000);
  if (fault === "aud") payload.aud = "another-client";
  if (fault === "iss") payload.iss = "http://127.0.0.1:1/another-issuer";
  if (fault === "expired") Object.assign(payload, { iat: now - 7200, exp: now - 3600 });
  if (fault === "nonce") payload.nonce = "not-the-nonce-of-this-flow";
  if (fault === "scope") payload.scope = "email";
  const jwk = fault === "foreign_key" ? FOREIGN[header.alg] : KEYS.find((k) => k.kid === header.kid);
  const key = createPrivateKey({ key: jwk, format: "jwk" });
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = header.alg === "ES256"
    ? sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" })
    : sign("sha256", Buffer.from(input), key);
  return `${input}.${signature.toString("base64url")}`;
}

provider.use(async (ctx, next) => {
  const kinds = { "/_faults/id-token": ["id_token", ["aud", "iss", "expired", "nonce", "foreign_key"]],
                  "/_faults/access-token": ["access_token", ["aud", "iss", "expired", "foreign_key", "scope"]] };
  if (ctx.method === "POST" && kinds[ctx.path]) {
    const [token, allowed] = kinds[ctx.path];
    let raw = "";
    for await (const chunk of ctx.req) raw += chunk;
    const { sub, fault } = JSON.parse(raw || "{}");
    if (!person(sub) || !allowed.includes(fault)) {
      ctx.status = 400;
      ctx.body = { error: `a known sub and one of ${allowed.join(", ")}` };
      return;
    }
    faults.set(`${token} ${sub}`, fault);
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === "/token" && ctx.body && typeof ctx.body === "object") {
    for (const token of ["id_token", "access_token"]) {
      const jwt = ctx.body[token];
      if (typeof jwt !== "string" || jwt.split(".").length !== 3) continue;
      const sub = JSON.parse(Buffer.from(jwt.split(".")[1], "base64url")).sub;
      const fault = faults.get(`${token} ${sub}`);
      if (fault) {
        faults.delete(`${token} ${sub}`);
        ctx.body = { ...ctx.body, [token]: resign(jwt, fault) };
      }
    }
  }
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`local OpenID provider at ${issuer} for the client vitrina-local → ${shop}/api/sso/local/callback`);
});
