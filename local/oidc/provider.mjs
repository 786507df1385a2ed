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
//   all), with names and phones; their claims are in the ID token too.
// - Access tokens for the shop's API as a resource server (RFC 8707 resource indicators): JWTs
//   for the audience `VITRINA_OIDC_RESOURCE` (RFC 9068).
//
// Settings: VITRINA_OIDC_PORT (3003), VITRINA_PORT (the shop's, 3000), VITRINA_OIDC_CLIENT_SECRET.
import { generateKeyPairSync, randomBytes } from "node:crypto";
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

function signingKey(type, options, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: "jwk" }), alg, use: "sig", kid: `${alg.toLowerCase()}-${randomBytes(4).toString("hex")}` };
}

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
    const user = USERS[sub];
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
    keys: [
      signingKey("rsa", { modulusLength: 2048 }, "RS256"),
      signingKey("ec", { namedCurve: "P-256" }, "ES256"),
    ],
  },
  cookies: { keys: [randomBytes(32).toString("hex")] },
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`local OpenID provider at ${issuer} for the client vitrina-local → ${shop}/api/sso/local/callback`);
});
