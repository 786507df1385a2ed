//! `vitrina-openapi`: prints the API's OpenAPI document (`make openapi` writes it to
//! `docs/openapi.json`).

fn main() {
    print!("{}", vitrina_openapi::json());
}
